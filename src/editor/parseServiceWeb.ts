/**
 * The parse service as a Web Worker, for the web build (VS Code for the Web has no processes): the same
 * handlers as parseService.ts. A parse that runs on past its grace costs this worker, which the client
 * terminates and replaces.
 */
import { scopePort } from '../workers/webWorker';
import { serveParseService } from './parseHandlers';

serveParseService(scopePort(globalThis as unknown as Parameters<typeof scopePort>[0]));
