// The envelope between the page and the web edition's worker, defined once.
// The Go side answers in the HTTP API's shape ({"result"} or {"error"}), as
// JSON text the page parses, so a reply never costs two copies.

/** page → worker */
export type ToWorker =
  | { init: { base: string } } // the site's base URL: wasm_exec.js and maillab.wasm live there
  | { id: number; method: string; args: unknown[] }
  // the command line inside the worker (`trace send-pop3`), for make web-bench's figures;
  // answered as {id, json} with {"result": {code, out, err, ms}}
  | { id: number; cli: string[] };

/** how far the module has come: bytes as they arrive over the network */
export interface LoadProgress {
  loaded: number;
  /** 0 when the server did not say */
  total: number;
}

/** why the Go side could not start (each has a sentence in the catalogs: ui.web.error.<code>) */
export type LoadErrorCode = 'no-wasm' | 'not-found' | 'not-wasm' | 'network' | 'crashed';

/** worker → page */
export type FromWorker =
  | { id: number; json: string } // {"result": …} | {"error": "…"}
  | { event: string; json: string } // a pushed event, as the hub publishes it
  | { progress: LoadProgress }
  | { ready: true }
  | { failed: { code: LoadErrorCode; detail: string } };
