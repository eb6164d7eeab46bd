import { randomBytes } from 'node:crypto';

/**
 * A form's one-time token: sent with the form, it lets the command recognise the same form sent
 * twice (double click, refresh) and keeps the files staged for it.
 */
export const newFormToken = () => randomBytes(16).toString('base64url');
