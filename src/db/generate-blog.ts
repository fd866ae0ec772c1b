// A deterministic blog generator: the same options always give the same rows, so tests and
// benchmarks on different machines see the same data. Pure: no database, no clock.
//
// The text reads like a tech blog, so a frontend built on the demo shows believable titles,
// names and paragraphs: authors come from faker's person generators (seeded), posts from
// post-text.ts, drawn with the seeded `createRandom` below.
import type { Faker } from '@faker-js/faker';
import { createPostWriter } from './post-text.ts';

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

/** faker's English locale, loaded on first use: a server that never seeds does not pay for it. */
export async function loadFaker(): Promise<Faker> {
  const { faker } = await import('@faker-js/faker/locale/en');
  return faker;
}

const TAG_WORDS = 'graphql performance postgres caching redis node typescript testing design databases pagination profiling security apis frontend backend devops observability architecture tutorials'.split(' ');

export function tagName(index: number): string {
  const word = TAG_WORDS[index % TAG_WORDS.length] as string;
  const round = Math.floor(index / TAG_WORDS.length);
  return round === 0 ? word : `${word}-${round + 1}`;
}

/** Reseeds `faker` (a shared instance) and draws every author from it before returning. */
export function generateAuthors(size: BlogSize, seed: number, faker: Faker): GeneratedAuthor[] {
  const random = createRandom(seed);
  faker.seed(seed);
  return Array.from({ length: size.authors }, (_, i) => {
    const first = Math.floor(random() * size.tags);
    const second = (first + 1 + Math.floor(random() * (size.tags - 1))) % size.tags;
    const topics = size.tags === 0 ? '' : ` who writes about ${size.tags === 1 ? tagName(first) : `${tagName(first)} and ${tagName(second)}`}`;
    const bio = faker.person.bio();
    return {
      id: i + 1,
      name: faker.person.fullName(),
      bio: `${faker.person.jobTitle()}${topics}. ${bio.charAt(0).toUpperCase() + bio.slice(1)}.`,
      createdAt: new Date(EPOCH_END - SPAN_MS - Math.floor(random() * SPAN_MS)).toISOString(),
    };
  });
}

export function generateTags(size: BlogSize): GeneratedTag[] {
  return Array.from({ length: size.tags }, (_, i) => ({ id: i + 1, name: tagName(i) }));
}

/** Posts in chunks, so 1M posts never sit in memory at once. */
export function* generatePosts(size: BlogSize, seed: number, chunkSize: number, faker: Faker): Generator<GeneratedPost[]> {
  const random = createRandom(seed ^ 0x9e3779b9);
  // Text from a stream of its own: the numbers (dates, lengths, tags, authors) keep their distributions whatever the text.
  const textRandom = createRandom(seed ^ 0x85ebca6b);
  const writer = createPostWriter(faker);
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
        // Few templates and words: repeated titles exercise ties in the TITLE ordering.
        title: writer.title(textRandom),
        body: writer.body(textRandom, wordCount),
        wordCount,
        createdAt: new Date(createdAt).toISOString(),
        tagIds: [...tagIds].sort((x, y) => x - y),
      });
    }
    yield chunk;
  }
}
