// Placeholder until the 'all' command lands; it fails loudly rather than pretending to work.
export async function run(_argv: string[]): Promise<number> {
  console.error("scac all: not implemented yet");
  return 2;
}
