/**
 * The compute worker: runs the IL core for the extension host (which never blocks on it), for every
 * panel and command at once. Requests run as they come; a synchronous computation keeps the thread
 * until it ends, while big sweeps go to one pool of threads (kept warm between requests) and run there
 * one at a time, so other requests are answered meanwhile. Each request stops on its own cancel signal.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { nodeWorker, parentPortOf } from '../workers/nodeWorker';
import { serveComputeWorker } from './computeHandlers';

// The sweep worker bundle sits beside this one in dist/.
serveComputeWorker(parentPortOf('computeWorker'), { sweepWorker: nodeWorker(join(__dirname, 'sweepWorker.js')), cores: availableParallelism() });
