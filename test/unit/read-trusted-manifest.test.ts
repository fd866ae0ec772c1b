import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { APOLLO_MANIFEST_FORMAT, ManifestError, parseTrustedManifest } from '../../src/documents/read-trusted-manifest.ts';

const FILE = 'manifests/web.json';
const POSTS = 'query Posts { posts(first: 2) { nodes { title } } }';
const TAGS = 'query Tags { tags(first: 2) { nodes { name } } }';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const apollo = (operations: unknown[]) => JSON.stringify({ format: APOLLO_MANIFEST_FORMAT, version: 1, operations });

describe('parseTrustedManifest', () => {
  it('reads a key-value manifest with sha256: and bare hex keys', () => {
    const text = JSON.stringify({ [`sha256:${sha(POSTS)}`]: POSTS, [sha(TAGS)]: TAGS });
    expect(parseTrustedManifest(FILE, text)).toEqual([
      { id: `sha256:${sha(POSTS)}`, body: POSTS, hash: sha(POSTS) },
      { id: sha(TAGS), body: TAGS, hash: sha(TAGS) },
    ]);
  });

  it("reads Apollo's persisted-query list, ids as given", () => {
    const text = apollo([
      { id: sha(POSTS), name: 'Posts', type: 'query', body: POSTS },
      { id: 'tags-v2', name: 'Tags', type: 'query', body: TAGS },
    ]);
    expect(parseTrustedManifest(FILE, text)).toEqual([
      { id: sha(POSTS), body: POSTS, hash: sha(POSTS) },
      { id: 'tags-v2', body: TAGS, hash: sha(TAGS) },
    ]);
  });

  it('refuses a key that is not the SHA-256 of its document, naming the file and the entry', () => {
    const wrong = `sha256:${sha(TAGS)}`;
    const run = () => parseTrustedManifest(FILE, JSON.stringify({ [wrong]: POSTS }));
    expect(run).toThrow(ManifestError);
    expect(run).toThrow(`trusted documents manifest ${FILE}, entry "${wrong}": is not the SHA-256 of its document (which is ${sha(POSTS)})`);
  });

  it('refuses an Apollo id that looks like a hash of another document', () => {
    expect(() => parseTrustedManifest(FILE, apollo([{ id: sha(TAGS), name: 'Posts', type: 'query', body: POSTS }]))).toThrow(
      `entry "${sha(TAGS)}": is not the SHA-256 of its document`,
    );
  });

  it('refuses a key that claims no hash', () => {
    expect(() => parseTrustedManifest(FILE, JSON.stringify({ posts: POSTS }))).toThrow(`entry "posts": expected a key of "sha256:" and 64 hex digits`);
  });

  it('refuses a document that is not a string', () => {
    expect(() => parseTrustedManifest(FILE, JSON.stringify({ [sha(POSTS)]: 42 }))).toThrow(`entry "${sha(POSTS)}": expected the document text`);
  });

  it('refuses one document under both spellings of its hash', () => {
    const text = JSON.stringify({ [sha(POSTS)]: POSTS, [`sha256:${sha(POSTS)}`]: POSTS });
    expect(() => parseTrustedManifest(FILE, text)).toThrow(`entry "sha256:${sha(POSTS)}": appears twice`);
  });

  it('refuses text that is not JSON, or an unknown format or version, naming the file', () => {
    expect(() => parseTrustedManifest(FILE, '{ not json')).toThrow(`trusted documents manifest ${FILE}: is not JSON`);
    expect(() => parseTrustedManifest(FILE, JSON.stringify({ format: 'relay', version: 1 }))).toThrow(`${FILE}: unknown format "relay"`);
    expect(() => parseTrustedManifest(FILE, JSON.stringify({ format: APOLLO_MANIFEST_FORMAT, version: 2, operations: [] }))).toThrow(
      `${FILE}: unknown version 2`,
    );
    expect(() => parseTrustedManifest(FILE, '[]')).toThrow(`${FILE}: expected an object`);
  });

  it('names an Apollo entry without an id by its name', () => {
    expect(() => parseTrustedManifest(FILE, apollo([{ name: 'Posts', type: 'query', body: POSTS }]))).toThrow(`entry "Posts": expected a non-empty string "id"`);
  });
});
