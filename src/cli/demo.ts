/** `npm run demo` / `npm start`: the Reset Cliff compounding-error table (see resetCliffDemo.ts). */
import { runDemo } from './resetCliffDemo';

runDemo();
