// Worker thread of the test-file preloader (preload.ts): reads and validates each test file, posting each result
// as soon as it is ready. The YAML document (kept only for --update) does not cross threads.
import { parentPort, workerData } from "node:worker_threads";
import { loadTestFile } from "./load.js";

for (const [key, shown] of (workerData as { files: [string, string][] }).files) {
  const { doc: _doc, text: _text, ...loaded } = loadTestFile(shown);
  parentPort!.postMessage({ key, loaded });
}
