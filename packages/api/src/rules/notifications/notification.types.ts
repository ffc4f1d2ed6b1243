import { Field, Int, ObjectType, InputType } from 'type-graphql';
import { UserError } from '../../graphql/relay.js';
import { Notification } from '../notification.entity.js';
import { AreaType } from '../../graphql/area-scope.js';

@ObjectType()
export class NotificationPayload {
  @Field(() => Notification, { nullable: true })
  notification!: Notification | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@AreaType('settings:read')
@ObjectType({ description: "The merchant's own SMTP server. The password is never returned." })
export class MailSettingsType {
  @Field(() => String)
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field(() => Boolean, { description: 'TLS from the first byte (port 465); otherwise STARTTLS when offered.' })
  secure!: boolean;

  @Field(() => String, { nullable: true })
  user!: string | null;

  @Field(() => Boolean)
  hasPassword!: boolean;

  @Field(() => String)
  fromAddress!: string;

  @Field(() => String)
  fromName!: string;

  @Field(() => String, { nullable: true })
  replyTo!: string | null;

  @Field(() => Date)
  updatedAt!: Date;
}

@InputType()
export class MailSettingsInput {
  @Field(() => String)
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field(() => Boolean, { nullable: true })
  secure?: boolean;

  @Field(() => String, { nullable: true })
  user?: string | null;

  @Field(() => String, { nullable: true, description: 'Omit to keep the stored password; empty to remove it.' })
  password?: string | null;

  @Field(() => String)
  fromAddress!: string;

  @Field(() => String)
  fromName!: string;

  @Field(() => String, { nullable: true })
  replyTo?: string | null;
}

@ObjectType()
export class MailSettingsPayload {
  @Field(() => MailSettingsType, { nullable: true })
  mailSettings!: MailSettingsType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ClearMailSettingsPayload {
  @Field(() => Boolean, { nullable: true })
  cleared!: boolean | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
