/**
 * The parse service: one child process that parses .ilmdp texts for every open document (the Problems
 * panel's checks, the custom editors' view models, the visual editor's text edits), so the extension
 * host never parses on a keystroke. A process rather than a thread: on some inputs (deeply nested
 * flow collections) V8 aborts the whole process while the YAML parser recurses, and in a worker thread
 * that abort takes the extension host down with it; here it costs a fresh process. Handlers are
 * synchronous, so a superseded parse runs on until the client replaces the process (parseClient.ts).
 */
import { processPort } from '../workers/childProcess';
import { serveParseService } from './parseHandlers';

serveParseService(processPort('parse service'));

// The host's end of the channel is gone (it exited or crashed): nothing will ask again.
process.on('disconnect', () => process.exit(0));
