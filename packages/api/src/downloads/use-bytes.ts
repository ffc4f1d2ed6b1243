/**
 * What one counted use may carry: the file once, plus half of it again for the bytes a dropped
 * connection had already handed to the network and the buyer's resume asks for a second time.
 * Less than a second copy, so no use ever carries the file twice; a grant of limit N serves at
 * most N × byteCapOf(size) bytes.
 */
export function byteCapOf(size: number): number {
  return size + Math.floor(size / 2);
}
