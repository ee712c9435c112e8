// Placeholder until the 'schema' command lands; it fails loudly rather than pretending to work.
export async function run(_argv: string[]): Promise<number> {
  console.error("scac schema: not implemented yet");
  return 2;
}
