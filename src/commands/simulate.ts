// Placeholder until the 'simulate' command lands; it fails loudly rather than pretending to work.
export async function run(_argv: string[]): Promise<number> {
  console.error("scac simulate: not implemented yet");
  return 2;
}
