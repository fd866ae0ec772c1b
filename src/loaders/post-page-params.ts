import type { Ordering } from '../db/orderings.ts';
import type { OptionalPostColumn } from '../db/post-columns.ts';
import type { PostRow } from '../db/types.ts';
import { type PageWindow, windowKey } from '../pagination/connection-args.ts';

/** The arguments shared by every parent in one batched page of child posts. */
export interface PostPageParams {
  readonly ordering: Ordering<PostRow>;
  readonly window: PageWindow;
  /** Optional columns the rows need, in OPTIONAL_POST_COLUMNS order. */
  readonly columns: readonly OptionalPostColumn[];
}

export function postPageKey(params: PostPageParams): string {
  return `${params.ordering.name}|${params.ordering.direction}|${windowKey(params.window)}|${params.columns.join(',')}`;
}
