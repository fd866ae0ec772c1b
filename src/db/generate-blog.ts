// A deterministic blog generator: the same options always give the same rows, so tests and
// benchmarks on different machines see the same data. Pure: no database, no clock.
//
// The text reads like a tech blog, so a frontend built on the demo shows believable titles,
// names and paragraphs: authors come from faker's person generators (seeded), posts from
// sentence templates filled with faker's hacker vocabulary by the seeded `createRandom` below.
// faker's own template engine per sentence would dominate seeding 100k posts.
import type { Faker } from '@faker-js/faker';

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

// Template slots: {A} adjective, {N} noun, {V} verb, {G} -ing verb, {B} abbreviation (faker's hacker
// lists), {F} a first name. A template's words are separated by single spaces, so that its word
// count is its number of spaces plus one.
const TITLE_TEMPLATES = [
  '{G} the {B} {N}',
  'Why we {V} the {N}',
  'How to {V} the {A} {N}',
  'Notes on the {A} {B} {N}',
  'When not to {V} the {B} {N}',
  '{G} the {N} without downtime',
  'The {B} {N}, explained',
  'What {G} the {N} taught us',
  'Stop {G} the {A} {N}',
  'Inside our {B} {N}',
  'A field guide to {G} the {N}',
  'The case for a {B} {N}',
];

const SENTENCE_TEMPLATES = [
  'We {V} the {A} {N} before anything else.',
  'The trick is to {V} the {B} {N} before you {V} the {N}.',
  'Most teams {V} the {N} by hand, and that is where things go wrong.',
  'In our case the {B} {N} was the bottleneck.',
  'If you {V} the {A} {N} first, the {B} {N} stays small.',
  '{G} the {N} turned out to be cheaper than it looks.',
  'Here is what we learned about the {A} {B} {N}.',
  'It is tempting to {V} everything at once; resist it.',
  'The {N} is not the problem, the {A} {N} is.',
  'Start by {G} the {B} {N}, then {V} the {N}.',
  'None of this needs a new {N}.',
  'Our {B} {N} went from flaky to boring, which is the goal.',
  'You will want to {V} the {N} whenever the {B} {N} changes.',
  'That one change made the {N} much easier to {V}.',
  '{F} on our team suggested we {V} the {A} {N} instead.',
  'Measure first: {G} the wrong {N} wastes a week.',
  'The {A} {N} should never wait for the {B} {N}.',
  'Keep the {N} boring and the {B} {N} fast.',
  'We tried to {V} the {B} {N} three times before it stuck.',
  'Nobody reads the {N} logs until the {B} {N} is down.',
  'So we stopped {G} the {N} on every request.',
  'The numbers below come from {G} the {A} {N} on a laptop.',
];

const spaces = (text: string): number => text.split(' ').length - 1;

/** One slot's words, with the spaces inside each, so a filled template's word count needs no scan. */
interface Slot {
  readonly values: readonly string[];
  readonly spaces: readonly number[];
}

/** A template split at its slots: literal, slot, literal, slot, ..., literal. */
interface Template {
  readonly literals: readonly string[];
  readonly slots: readonly Slot[];
  readonly literalSpaces: number;
  /** It begins with a slot, whose value may be lowercase. */
  readonly capitalize: boolean;
}

interface PostVocabulary {
  readonly titles: readonly Template[];
  readonly sentences: readonly Template[];
}

function compileTemplates(templates: readonly string[], lists: Record<string, Slot>): Template[] {
  return templates.map((template) => {
    const parts = template.split(/\{([A-Z])\}/);
    const literals = parts.filter((_, i) => i % 2 === 0);
    return {
      literals,
      slots: parts.filter((_, i) => i % 2 === 1).map((slot) => lists[slot] as Slot),
      literalSpaces: literals.reduce((sum, literal) => sum + spaces(literal), 0),
      capitalize: literals[0] === '',
    };
  });
}

function slot(values: readonly string[]): Slot {
  return { values, spaces: values.map(spaces) };
}

function postVocabulary(faker: Faker): PostVocabulary {
  const { hacker, person } = faker.definitions;
  const lists = {
    A: slot(hacker.adjective),
    N: slot(hacker.noun),
    V: slot(hacker.verb),
    G: slot(hacker.ingverb),
    B: slot(hacker.abbreviation),
    F: slot(person.first_name.generic ?? []),
  };
  // faker's own exclamations ("We need to parse the neural SQL port!") as the odd lively sentence.
  const phrases = hacker.phrase.map((phrase) =>
    phrase.replace(/\{\{hacker\.(adjective|noun|verb|ingverb|abbreviation)\}\}/g, (_, name: string) => `{${{ adjective: 'A', noun: 'N', verb: 'V', ingverb: 'G', abbreviation: 'B' }[name]}}`),
  );
  return { titles: compileTemplates(TITLE_TEMPLATES, lists), sentences: compileTemplates([...SENTENCE_TEMPLATES, ...phrases], lists) };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A filled template and its word count. */
interface Filled {
  text: string;
  words: number;
}

function fill(random: () => number, template: Template, into: Filled): Filled {
  let text = template.literals[0] as string;
  let gaps = template.literalSpaces;
  for (let i = 0; i < template.slots.length; i++) {
    const { values, spaces: valueSpaces } = template.slots[i]!;
    const index = Math.floor(random() * values.length);
    text += values[index]! + template.literals[i + 1];
    gaps += valueSpaces[index]!;
  }
  into.text = template.capitalize ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  into.words = gaps + 1;
  return into;
}

/** Closing lines by word count (index 0: one word): a body ends on whole sentences at any length. */
const SIGN_OFFS = ['Cheers.', 'More soon.', 'That is all.', 'Questions? Ask us anytime.', 'Thanks for reading this far.'];
/** Sentences tried for the words left before the body closes with a sign-off instead. */
const FIT_ATTEMPTS = 4;

/** Exactly `words` words (as countWords counts them) of whole sentences, in paragraphs of 2 to 6. */
function body(random: () => number, vocabulary: PostVocabulary, words: number): string {
  const sentence: Filled = { text: '', words: 0 };
  const parts: string[] = [];
  let inParagraph = 0;
  let paragraphLength = 2 + Math.floor(random() * 5);
  let left = words;
  while (left > 0) {
    let next: string | undefined;
    for (let attempt = 0; left > SIGN_OFFS.length && attempt < FIT_ATTEMPTS && next === undefined; attempt++) {
      fill(random, pick(random, vocabulary.sentences), sentence);
      if (sentence.words <= left) next = sentence.text;
    }
    if (next === undefined) {
      const count = Math.min(left, SIGN_OFFS.length);
      next = SIGN_OFFS[count - 1] as string;
      left -= count;
    } else {
      left -= sentence.words;
    }
    if (parts.length > 0) parts.push(inParagraph === 0 ? '\n\n' : ' ');
    parts.push(next);
    if (++inParagraph === paragraphLength) {
      inParagraph = 0;
      paragraphLength = 2 + Math.floor(random() * 5);
    }
  }
  return parts.join('');
}

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
  const vocabulary = postVocabulary(faker);
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
        title: fill(textRandom, pick(textRandom, vocabulary.titles), { text: '', words: 0 }).text,
        body: body(textRandom, vocabulary, wordCount),
        wordCount,
        createdAt: new Date(createdAt).toISOString(),
        tagIds: [...tagIds].sort((x, y) => x - y),
      });
    }
    yield chunk;
  }
}
