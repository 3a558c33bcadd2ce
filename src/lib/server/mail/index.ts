/** E-mail: transports, the signed unsubscribe links, notification mails, digests. */
export { logMailTransport, mailConfigFromEnv, mailTransportFromConfig, smtpMailTransport, type MailConfig, type MailMessage, type MailTransport } from './transport';
export { scheduleNotificationMail, type MailJobContext } from './notification-mail';
