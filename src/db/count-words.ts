/** Words as Post.wordCount stores them, for the seed and for writes alike: runs of non-space characters. */
export function countWords(text: string): number {
  const matches = text.match(/\S+/g);
  return matches ? matches.length : 0;
}
