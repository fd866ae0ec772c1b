import { type Kysely, sql } from 'kysely';

// Frozen in time: Kysely<any>, never the app's Database type.
// Each post carries its tags as a json list (`[{"id":..,"name":..}]`, by name), so a page of posts
// reads them with its rows instead of probing post_tags once per post. post_tags stays the truth:
// statement triggers rebuild the lists of the posts whose links a statement changed, in the same
// transaction, so every reader sees a list that matches the links.

const LIST_OF = (post: string) => sql.raw(`coalesce((
    select json_agg(json_build_object('id', tag.id, 'name', tag.name) order by tag.name)
    from post_tags link join tags tag on tag.id = link.tag_id
    where link.post_id = ${post}.id), '[]')`);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table posts add column tag_list json not null default '[]'`.execute(db);
  await sql`update posts set tag_list = ${LIST_OF('posts')}`.execute(db);
  await sql`create function refresh_post_tag_lists() returns trigger language plpgsql as $$
    begin
      update posts set tag_list = ${LIST_OF('posts')}
      where posts.id in (select post_id from changed_links);
      return null;
    end $$`.execute(db);
  await sql`create trigger post_tags_inserted after insert on post_tags
    referencing new table as changed_links for each statement execute function refresh_post_tag_lists()`.execute(db);
  await sql`create trigger post_tags_deleted after delete on post_tags
    referencing old table as changed_links for each statement execute function refresh_post_tag_lists()`.execute(db);
  // Links are never updated in place by inkql; by hand, both the old and the new post change.
  await sql`create function refresh_post_tag_lists_moved() returns trigger language plpgsql as $$
    begin
      update posts set tag_list = ${LIST_OF('posts')}
      where posts.id in (select post_id from links_before union select post_id from links_after);
      return null;
    end $$`.execute(db);
  await sql`create trigger post_tags_updated after update on post_tags
    referencing old table as links_before new table as links_after for each statement execute function refresh_post_tag_lists_moved()`.execute(db);
  // Tags are never renamed by inkql either; by hand, the lists that show the name follow.
  await sql`create function refresh_renamed_tag_lists() returns trigger language plpgsql as $$
    begin
      update posts set tag_list = ${LIST_OF('posts')}
      where posts.id in (select link.post_id from post_tags link join renamed_tags tag on tag.id = link.tag_id);
      return null;
    end $$`.execute(db);
  await sql`create trigger tags_renamed after update on tags
    referencing new table as renamed_tags for each statement execute function refresh_renamed_tag_lists()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger tags_renamed on tags`.execute(db);
  await sql`drop trigger post_tags_updated on post_tags`.execute(db);
  await sql`drop trigger post_tags_deleted on post_tags`.execute(db);
  await sql`drop trigger post_tags_inserted on post_tags`.execute(db);
  await sql`drop function refresh_renamed_tag_lists()`.execute(db);
  await sql`drop function refresh_post_tag_lists_moved()`.execute(db);
  await sql`drop function refresh_post_tag_lists()`.execute(db);
  await sql`alter table posts drop column tag_list`.execute(db);
}
