import { describe, expect, it } from 'vitest';
import { staleResponseTags } from '../../src/cache/response-tags.ts';

const base = { postId: 12, authorId: 3, membershipChanged: false, titleChanged: false, tagIdsBefore: [], tagIdsAfter: [], namedTags: false, statsChanged: false };

describe('staleResponseTags', () => {
  it('stales the post, the lists it joins, its author and tags lists, Tag:list and stats on createPost', () => {
    expect(staleResponseTags({ ...base, membershipChanged: true, tagIdsAfter: [7, 8], namedTags: true, statsChanged: true }).sort()).toEqual(
      ['Post:12', 'Post:list', 'Author:3:posts', 'Tag:7:posts', 'Tag:8:posts', 'Tag:list', 'stats'].sort(),
    );
  });

  it('stales only the post on a body change that moves no aggregate', () => {
    expect(staleResponseTags({ ...base, tagIdsBefore: [7], tagIdsAfter: [7] })).toEqual(['Post:12']);
  });

  it('stales every list the post is in on a title change: they can be sorted by title', () => {
    expect(staleResponseTags({ ...base, titleChanged: true, tagIdsBefore: [7], tagIdsAfter: [7] }).sort()).toEqual(
      ['Post:12', 'Post:list', 'Author:3:posts', 'Tag:7:posts'].sort(),
    );
  });

  it('stales the lists of the tags gained and lost, not of those kept', () => {
    const tags = staleResponseTags({ ...base, tagIdsBefore: [1, 2], tagIdsAfter: [2, 3], namedTags: true, statsChanged: true });
    expect(tags.sort()).toEqual(['Post:12', 'Post:list', 'Tag:1:posts', 'Tag:3:posts', 'Tag:list', 'stats'].sort());
  });
});
