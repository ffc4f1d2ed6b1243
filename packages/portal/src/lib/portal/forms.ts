/** What the portal's form actions answer; the pages show the messages these keys name. */
export type Notice = 'waiver' | 'unavailable' | 'busy';

export type ContactError = 'messageRequired' | 'messageTooLong' | 'replyToInvalid' | 'busy' | 'failed';
export interface ContactForm {
  contact: { sent?: true; errors?: { message?: ContactError; replyTo?: ContactError; form?: ContactError } };
  message?: string;
  replyTo?: string;
}

export interface WaiverForm {
  waiver: { accepted?: true; error?: 'required' | 'failed' };
}

export interface NewLinkForm {
  sent?: true;
  email?: string;
  error?: 'invalidEmail' | 'busy' | 'failed';
}
