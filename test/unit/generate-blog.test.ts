import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/db/count-words.ts';
import {
  generateAuthors,
  generatePosts,
  generateTags,
  loadFaker,
  MAX_TAGS_PER_POST,
  tagName,
  type BlogSize,
  type GeneratedPost,
} from '../../src/db/generate-blog.ts';

const SIZE: BlogSize = { authors: 20, posts: 1000, tags: 15 };
const faker = await loadFaker();
const allPosts = (size: BlogSize, seed: number, chunk = 250): GeneratedPost[] => [...generatePosts(size, seed, chunk, faker)].flat();
const authors = (size: BlogSize, seed: number) => generateAuthors(size, seed, faker);

describe('generate-blog', () => {
  it('gives the same rows for the same seed', () => {
    expect(authors(SIZE, 42)).toEqual(authors(SIZE, 42));
    expect(allPosts(SIZE, 42)).toEqual(allPosts(SIZE, 42));
  });

  it('gives the same rows whatever the chunk size', () => {
    expect(allPosts(SIZE, 42, 7)).toEqual(allPosts(SIZE, 42, 1000));
  });

  it('gives different rows for a different seed', () => {
    expect(authors(SIZE, 43)).not.toEqual(authors(SIZE, 42));
    const [a, b] = [allPosts(SIZE, 42), allPosts(SIZE, 43)];
    expect(b.map((p) => p.title)).not.toEqual(a.map((p) => p.title));
    expect(b.map((p) => p.createdAt)).not.toEqual(a.map((p) => p.createdAt));
  });

  it('numbers rows 1..N and points posts at existing authors and tags', () => {
    const posts = allPosts(SIZE, 42);
    expect(posts.map((p) => p.id)).toEqual(Array.from({ length: SIZE.posts }, (_, i) => i + 1));
    expect(authors(SIZE, 42).map((a) => a.id)).toEqual(Array.from({ length: SIZE.authors }, (_, i) => i + 1));
    for (const post of posts) {
      expect(post.authorId).toBeGreaterThanOrEqual(1);
      expect(post.authorId).toBeLessThanOrEqual(SIZE.authors);
      for (const tagId of post.tagIds) expect(tagId >= 1 && tagId <= SIZE.tags).toBe(true);
    }
  });

  it('gives posts that share a timestamp, so cursor ties are exercised', () => {
    const times = allPosts(SIZE, 42).map((p) => p.createdAt);
    expect(new Set(times).size).toBeLessThan(times.length - 20);
  });

  it('gives each post 0 to 5 distinct tags, sorted, with every count from 0 to 5 present', () => {
    const counts = new Set<number>();
    for (const post of allPosts(SIZE, 42)) {
      expect(post.tagIds.length).toBeLessThanOrEqual(MAX_TAGS_PER_POST);
      expect(new Set(post.tagIds).size).toBe(post.tagIds.length);
      expect(post.tagIds).toEqual([...post.tagIds].sort((x, y) => x - y));
      counts.add(post.tagIds.length);
    }
    expect(counts).toContain(0);
    expect(counts).toContain(1);
  });

  it('writes bodies of 50 to 400 words whose stored word count is right', () => {
    const lengths = allPosts(SIZE, 42).map((post) => {
      expect(countWords(post.body)).toBe(post.wordCount);
      return post.wordCount;
    });
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(400);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeGreaterThan(300);
  });

  it('spreads posts over years, with valid ISO timestamps', () => {
    const years = new Set(allPosts(SIZE, 42).map((p) => new Date(p.createdAt).getUTCFullYear()));
    expect(years.size).toBeGreaterThanOrEqual(4);
    for (const post of allPosts({ ...SIZE, posts: 50 }, 42)) expect(new Date(post.createdAt).toISOString()).toBe(post.createdAt);
  });

  it('names authors like people, nearly all different, with a bio that says what they write about', () => {
    const lastNames = new Set(faker.definitions.person.last_name.generic);
    const generated = authors({ ...SIZE, authors: 50 }, 42);
    expect(new Set(generated.map((a) => a.name)).size).toBeGreaterThanOrEqual(48);
    for (const author of generated) {
      const words = author.name.split(' ').filter((word) => !/\.$|^(Jr|Sr|I|II|III|IV|V|MD|DDS|PhD|DVM)$/.test(word));
      // Double-barrelled names (`Smith-Predovic`) end in a listed one.
      expect(lastNames, author.name).toContain(words.at(-1)!.split('-').at(-1));
      const [, first, second] = / who writes about ([a-z0-9-]+) and ([a-z0-9-]+)\. [A-Z].*\.$/.exec(author.bio) ?? [];
      expect(first, author.bio).toBeDefined();
      expect(first).not.toBe(second);
    }
  });

  it('writes titles of whole words and bodies in paragraphs of sentences', () => {
    const posts = allPosts({ ...SIZE, posts: 200 }, 42);
    for (const post of posts) {
      expect(post.title).toMatch(/^[A-Z][\w ,'-]+[a-z0-9]$/i);
      expect(post.title.split(' ').length).toBeGreaterThanOrEqual(3);
      const paragraphs = post.body.split('\n\n');
      for (const paragraph of paragraphs) expect(paragraph, post.body).toMatch(/^[A-Z].*[.!]$/);
      if (post.wordCount >= 150) expect(paragraphs.length, post.body).toBeGreaterThanOrEqual(2);
    }
    // Templates repeat: some titles are shared, so the TITLE ordering meets ties.
    expect(new Set(posts.map((p) => p.title)).size).toBeLessThan(posts.length);
  });

  it('gives no tags when there are none', () => {
    expect(allPosts({ ...SIZE, tags: 0 }, 42).every((p) => p.tagIds.length === 0)).toBe(true);
  });

  it('names tags uniquely beyond its word list', () => {
    const names = generateTags({ authors: 1, posts: 0, tags: 100 }).map((t) => t.name);
    expect(new Set(names).size).toBe(100);
    expect(tagName(0)).toBe('graphql');
  });
});
