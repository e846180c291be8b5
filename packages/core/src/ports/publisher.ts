/**
 * The notification bus port: SNS on AWS, the local runtime's emulator on a laptop.
 */

/** Message attribute values as SNS types them: String, Number or String.Array. */
export type AttributeValue = string | number | string[];

/** A message to a topic of the manifest. */
export interface PublishInput {
  /** Logical topic name from the manifest (`notifications`, `operations`). */
  topic: string;
  subject?: string;
  /**
   * Either one text for every protocol, or per-protocol texts (SNS MessageStructure json:
   * `default` is required, `email` is used by email subscriptions).
   */
  message: string | { default: string; email?: string; [protocol: string]: string | undefined };
  attributes?: Record<string, AttributeValue>;
}

export interface Publisher {
  publish(input: PublishInput): Promise<{ messageId: string }>;
  /** Throws when the topic cannot be reached (readiness checks call this). */
  check(topic: string): Promise<void>;
}
