// What no text field takes (SPEC §6, "bad input gets a clear error"): NUL and the other control
// characters but tab and line breaks, and the bidirectional overrides and isolates that make a
// text read otherwise than it is. One-line fields (names, addresses, a phone number) take no
// line break either: the organisation's own e-mails put them in a greeting or a subject.
// eslint-disable-next-line no-control-regex -- the control characters are what these patterns refuse
export const textPattern = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;
// eslint-disable-next-line no-control-regex
export const linePattern = /^[^\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/;
export const textRule = 'no control characters or bidirectional overrides';
export const lineRule = 'one line: no line breaks, control characters or bidirectional overrides';
/**
 * An address as SMTPUTF8 allows it (`zoë@exämple.nl`): a local part of at most 64 characters
 * without spaces, quotes, controls or the punctuation block (bidi marks, line separators), and a
 * domain of letter-or-digit labels with a dot. Written without `\p{…}` so that the OpenAPI
 * document's pattern reads the same in every regex dialect (the fuzzer's included).
 */
// eslint-disable-next-line no-control-regex
export const mailboxPattern = /^[^\s@"<>()[\]\\,;:\u0000-\u001F\u007F-\u009F\u2000-\u206F]{1,64}@(?=.{1,253}$)(?:[0-9A-Za-z\u00C0-\u1FFF\u3000-\uD7FF\uF900-\uFFEF](?:[0-9A-Za-z\u00C0-\u1FFF\u3000-\uD7FF\uF900-\uFFEF-]{0,61}[0-9A-Za-z\u00C0-\u1FFF\u3000-\uD7FF\uF900-\uFFEF])?\.)+[A-Za-z\u00C0-\u1FFF\u3000-\uD7FF\uF900-\uFFEF]{2,63}$/;
export const mailboxRule = 'an e-mail address such as naam@voorbeeld.nl';

// What came from outside as it is (an e-mail's text and subject): the refused characters taken out,
// line breaks in a one-line field made spaces, so that it fits the rules above instead of failing them.
// eslint-disable-next-line no-control-regex
const refusedInText = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
export const asText = (value: string): string => value.replace(/\r\n?/g, '\n').replace(refusedInText, '');
export const asLine = (value: string): string => asText(value).replace(/[\n\t\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
