// A deterministic blog generator: the same options always give the same rows, so tests and
// benchmarks on different machines see the same data. Pure: no database, no clock.

export interface BlogSize {
  readonly authors: number;
  readonly posts: number;
  readonly tags: number;
}

export interface GeneratedAuthor { id: number; name: string; bio: string; createdAt: string }
export interface GeneratedTag { id: number; name: string }
export interface GeneratedPost {
  id: number;
  authorId: number;
  title: string;
  body: string;
  wordCount: number;
  createdAt: string;
  tagIds: number[];
}

export const MAX_TAGS_PER_POST = 5;
/** Share of posts that copy the previous post's timestamp, so cursor ties are exercised. */
export const TIMESTAMP_TIE_RATE = 0.1;
const EPOCH_END = Date.UTC(2026, 0, 1);
const SPAN_MS = 5 * 365 * 24 * 3600 * 1000;

/** mulberry32: tiny, fast, good enough for fixtures. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a of to and in is it that for on with as by at from this be are was not or an have can ' +
  'query server cache latency index cursor page batch loader schema field resolver request response ' +
  'client trace profile database table column row join lateral window count plan cost budget limit ' +
  'fast slow small large simple honest clear quiet careful bright steady clever patient modern ' +
  'build measure ship write read change test deploy scale tune learn explain compare render ' +
  'network memory disk thread event loop promise stream buffer socket packet header token ' +
  'garden river mountain city morning evening coffee music winter summer journey story idea ' +
  'design pattern habit lesson mistake detail question answer number signal noise graph chart'
).split(' ');

const FIRST_NAMES = 'Ada Alan Grace Linus Barbara Ken Margaret Dennis Radia Edsger Frances Donald Leslie Anita Tim Sophie Guido Yukihiro Brendan Joan'.split(' ');
const LAST_NAMES = 'Lovelace Turing Hopper Torvalds Liskov Thompson Hamilton Ritchie Perlman Dijkstra Allen Knuth Lamport Borg Berners-Lee Wilson Rossum Matsumoto Eich Clarke'.split(' ');
const TAG_WORDS = 'graphql performance postgres caching redis node typescript testing design databases pagination profiling security apis frontend backend devops observability architecture tutorials'.split(' ');

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(random, WORDS));
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function paragraphs(random: () => number, words: number): string {
  const parts: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, 8 + Math.floor(random() * 12));
    parts.push(sentence(random, n) + '.');
    left -= n;
  }
  return parts.join(' ');
}

export function tagName(index: number): string {
  const word = TAG_WORDS[index % TAG_WORDS.length] as string;
  const round = Math.floor(index / TAG_WORDS.length);
  return round === 0 ? word : `${word}-${round + 1}`;
}

export function generateAuthors(size: BlogSize, seed: number): GeneratedAuthor[] {
  const random = createRandom(seed);
  return Array.from({ length: size.authors }, (_, i) => ({
    id: i + 1,
    name: `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
    bio: sentence(random, 6 + Math.floor(random() * 14)) + '.',
    createdAt: new Date(EPOCH_END - SPAN_MS - Math.floor(random() * SPAN_MS)).toISOString(),
  }));
}

export function generateTags(size: BlogSize): GeneratedTag[] {
  return Array.from({ length: size.tags }, (_, i) => ({ id: i + 1, name: tagName(i) }));
}

/** Posts in chunks, so 1M posts never sit in memory at once. */
export function* generatePosts(size: BlogSize, seed: number, chunkSize: number): Generator<GeneratedPost[]> {
  const random = createRandom(seed ^ 0x9e3779b9);
  let previousCreatedAt = EPOCH_END - Math.floor(random() * SPAN_MS);
  for (let start = 0; start < size.posts; start += chunkSize) {
    const chunk: GeneratedPost[] = [];
    for (let id = start + 1; id <= Math.min(size.posts, start + chunkSize); id++) {
      const wordCount = 50 + Math.floor(random() * 351);
      const createdAt = random() < TIMESTAMP_TIE_RATE ? previousCreatedAt : EPOCH_END - Math.floor(random() * SPAN_MS);
      previousCreatedAt = createdAt;
      const tagIds = new Set<number>();
      const wanted = size.tags === 0 ? 0 : Math.floor(random() * (MAX_TAGS_PER_POST + 1));
      // Squaring skews popularity towards the first tags, so "top tags" has a shape.
      for (let t = 0; t < wanted; t++) tagIds.add(1 + Math.floor(random() * random() * size.tags));
      chunk.push({
        id,
        authorId: 1 + Math.floor(random() * size.authors),
        // Few title words: repeated titles exercise ties in the TITLE ordering.
        title: sentence(random, 2 + Math.floor(random() * 4)),
        body: paragraphs(random, wordCount),
        wordCount,
        createdAt: new Date(createdAt).toISOString(),
        tagIds: [...tagIds].sort((x, y) => x - y),
      });
    }
    yield chunk;
  }
}
