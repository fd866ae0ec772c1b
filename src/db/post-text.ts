// Post titles and bodies that read like a tech blog: sentence templates filled with faker's hacker
// vocabulary. The caller's seeded random picks every template and word, so the same sequence gives
// the same text; faker's own template engine per sentence would dominate seeding 100k posts.
import type { Faker } from '@faker-js/faker';

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

export interface PostWriter {
  title(random: () => number): string;
  /** Exactly `words` words (as countWords counts them) of whole sentences, in paragraphs of 2 to 6. */
  body(random: () => number, words: number): string;
}

export function createPostWriter(faker: Faker): PostWriter {
  const vocabulary = postVocabulary(faker);
  return {
    title: (random) => fill(random, pick(random, vocabulary.titles), { text: '', words: 0 }).text,
    body: (random, words) => body(random, vocabulary, words),
  };
}
