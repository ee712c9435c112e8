// Worker thread body for workers.ts.
import { parentPort, workerData } from "node:worker_threads";
import { loadSchemas } from "../schemas/loader.js";
import { computeFacts } from "./facts.js";
import type { Job } from "./workers.js";

const { schemaDirs, jobs } = workerData as { schemaDirs: string[]; jobs: Job[] };
const { schemas } = await loadSchemas(schemaDirs);
parentPort!.postMessage(jobs.map((j) => computeFacts(j.query, j.parameters, schemas)));
