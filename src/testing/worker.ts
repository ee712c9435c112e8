// Worker thread of a parallel `scac test` run: runs its shard of test files and posts the results back.
import { parentPort, workerData } from "node:worker_threads";
import { createContext } from "./runner.js";
import { runFiles } from "./session.js";

const data = workerData as { files: string[]; schemaDirs: string[]; update: boolean; cwd: string };
const { ctx } = await createContext(data.schemaDirs);
parentPort!.postMessage(await runFiles(ctx, data.files, data.update));
