// `scac new hunting|analytics <name> [--dir <dir>]` — scaffolds a content file and its passing test file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { defaultDir, scaffold } from "../testing/scaffold.js";

const USAGE = "usage: scac new hunting|analytics <name> [--dir <dir>]";

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { dir: { type: "string" } } });
  } catch (e) {
    console.error(`scac new: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [kind, ...nameParts] = args.positionals;
  const name = nameParts.join(" ").trim();
  if ((kind !== "hunting" && kind !== "analytics") || !name) {
    console.error(`scac new: ${kind !== "hunting" && kind !== "analytics" ? "the first argument must be hunting or analytics" : "give the content's name"}\n${USAGE}`);
    return 2;
  }
  const dir = resolve(args.values.dir ?? defaultDir(kind));
  let s;
  try {
    s = scaffold(kind, name, dir);
  } catch (e) {
    console.error(`scac new: ${(e as Error).message}`);
    return 2;
  }
  for (const p of [s.contentPath, s.testPath]) {
    if (existsSync(p)) {
      console.error(`scac new: ${relative(process.cwd(), p)} already exists; choose another name`);
      return 1;
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(s.contentPath, s.content);
  writeFileSync(s.testPath, s.test);
  console.log(`created ${relative(process.cwd(), s.contentPath)}\ncreated ${relative(process.cwd(), s.testPath)}\nnext: edit the query and the test events, then run scac test ${relative(process.cwd(), s.testPath)}`);
  return 0;
}
