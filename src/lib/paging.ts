/** Page sizes shared by the server's read models and the browser's live updates. */
export const POSTS_PER_PAGE = 20;
export const pageOfPost = (number: number) => Math.max(1, Math.ceil(number / POSTS_PER_PAGE));
