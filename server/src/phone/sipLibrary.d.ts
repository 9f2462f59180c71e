/**
 * Types for the parts of the `sip` package (npm, MIT; it ships no types) that Parley uses: the
 * RFC 3261 message parser and serialiser, responses, and the transaction layer. Parley owns the
 * sockets (see SipEndpoint.ts), so the package's own transports are not declared.
 */
declare module 'sip' {
  export interface SipUri {
    schema?: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params: Record<string, string | null | undefined>;
    headers?: Record<string, string>;
  }
  export interface SipVia {
    version: string;
    protocol: string;
    host: string;
    port?: number;
    params: Record<string, string | number | null | undefined>;
  }
  export interface SipAddress {
    name?: string;
    uri: string;
    params: Record<string, string | null | undefined>;
  }
  export interface SipHeaders {
    via?: SipVia[];
    to?: SipAddress;
    from?: SipAddress;
    'call-id'?: string;
    cseq?: { seq: number; method: string };
    contact?: SipAddress[];
    'content-type'?: string;
    'content-length'?: number;
    authorization?: Record<string, string>[];
    'max-forwards'?: number;
    [name: string]: unknown;
  }
  export interface SipMessage {
    method?: string;
    uri?: string;
    version?: string;
    status?: number;
    reason?: string;
    headers: SipHeaders;
    content: string;
  }
  export interface ServerTransaction {
    send(response: SipMessage): void;
    message?(message: SipMessage): void;
    shutdown(): void;
  }
  export interface TransactionConnection {
    send(message: SipMessage): void;
    release(): void;
    protocol: string;
  }
  export interface TransactionLayer {
    createServerTransaction(request: SipMessage, connection: TransactionConnection): ServerTransaction;
    createClientTransaction(
      connection: TransactionConnection,
      request: SipMessage,
      callback: (response: SipMessage) => void,
    ): { message?(m: SipMessage): void; shutdown(): void };
    getServer(message: SipMessage): ServerTransaction | undefined;
    getClient(message: SipMessage): { message?(m: SipMessage): void } | undefined;
    destroy(): void;
  }
  export function parse(data: Buffer | string): SipMessage | undefined;
  export function stringify(message: SipMessage): string;
  export function makeResponse(
    request: SipMessage,
    status: number | string,
    reason: string,
    extension?: { headers?: Partial<SipHeaders> & Record<string, unknown>; content?: string },
  ): SipMessage;
  export function parseUri(uri: string): SipUri | undefined;
  export function stringifyUri(uri: SipUri): string;
  export function generateBranch(): string;
  export function makeStreamParser(
    onMessage: (message: SipMessage) => void,
    onFlood?: () => void,
    maxBytesHeaders?: number,
    maxContentLength?: number,
  ): (data: string) => void;
  export function makeTransactionLayer(
    options: Record<string, unknown>,
    transport: (target: unknown, onError?: (error: Error) => void) => TransactionConnection,
  ): TransactionLayer;
  const sip: {
    parse: typeof parse;
    stringify: typeof stringify;
    makeResponse: typeof makeResponse;
    parseUri: typeof parseUri;
    stringifyUri: typeof stringifyUri;
    generateBranch: typeof generateBranch;
    makeStreamParser: typeof makeStreamParser;
    makeTransactionLayer: typeof makeTransactionLayer;
  };
  export default sip;
}
