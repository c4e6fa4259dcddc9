/** Ethereum addresses compare case-insensitively (EIP-55 checksums are only a spelling). */
export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
