/**
 * What only a member uses on a thread page: the reply form with its editor and mention
 * suggestions, following, curation and moderation. The page's universal load imports this module
 * when the reader is signed in, so a guest's browser never downloads it.
 */
export { default as ReplyForm } from './ReplyForm.svelte';
export { default as ModerationTools } from './ModerationTools.svelte';
export { default as FollowControl } from '../notifications/FollowControl.svelte';
export { default as PostCuration } from '../PostCuration.svelte';
