import { EnvironmentClients, environmentClients } from '../../lib/environments/aws-clients';

/** The service clients of EnvironmentClients by name: `ec2`, `iam`, `s3`, ... */
export type ServiceName = Exclude<keyof EnvironmentClients, 'destroy'>;

/** Answers one command's input with its output (or throws the service's error). */
export type FakeHandler = (input: Record<string, unknown>) => unknown;

/** Handlers by service and command name without `Command`: `{ ec2: { DescribeVpcs: ... } }`. */
export type FakeResponses = Partial<Record<ServiceName, Record<string, FakeHandler>>>;

export interface FakeCall {
  readonly service: ServiceName;
  /** The command name without `Command`, e.g. `DescribeVpcs`. */
  readonly command: string;
  /** A copy of the input as sent (paginators reuse one input object across pages). */
  readonly input: Record<string, unknown>;
}

export interface FakeAws {
  /** Real SDK clients whose calls never leave the process. */
  readonly clients: EnvironmentClients;
  /** Every call made, in order. */
  readonly calls: FakeCall[];
  /** The inputs of every call of `service`.`command`, in order. */
  inputsOf(service: ServiceName, command: string): Record<string, unknown>[];
}

/** The part of a client's middleware stack the fake uses (the SDK's types differ per client). */
interface MiddlewareAdder {
  add(
    middleware: (
      next: unknown,
      context: { readonly commandName?: string },
    ) => (args: { readonly input: object }) => Promise<{ readonly output: object }>,
    options: { readonly step: 'initialize'; readonly name: string; readonly priority: 'high' },
  ): void;
}

/** An error as the SDK throws it for a service's error code. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

/** `base` with the answers of `changes` added or replaced, service by service. */
export function withAnswers(base: FakeResponses, changes: FakeResponses): FakeResponses {
  const merged: FakeResponses = { ...base };
  for (const [service, handlers] of Object.entries(changes) as [
    ServiceName,
    FakeResponses[ServiceName],
  ][]) {
    merged[service] = { ...base[service], ...handlers };
  }
  return merged;
}

/** A handler that answers every call with the service error `name`. */
export function fails(name: string, message = name): FakeHandler {
  return () => {
    throw awsError(name, message);
  };
}

/**
 * Real SDK clients (so that the SDK's paginators accept them) with a middleware in front of every
 * other that answers from `responses` instead of sending a request. A call without a handler
 * throws UnexpectedCall, so a test sees every call the code makes.
 */
export function fakeAws(responses: FakeResponses): FakeAws {
  // An endpoint nothing listens on: a request that got past the fake would fail at once.
  const real = environmentClients(
    { target: 'local', region: 'us-east-1' },
    { emulatorEndpoint: 'http://127.0.0.1:9' },
  );
  const calls: FakeCall[] = [];
  for (const service of Object.keys(real) as (ServiceName | 'destroy')[]) {
    if (service === 'destroy') continue;
    const stack = real[service].middlewareStack as unknown as MiddlewareAdder;
    stack.add(
      (_next, context) => async (args) => {
        const command = String(context.commandName).replace(/Command$/, '');
        // A JSON copy: no undefined members, and later pages cannot change it.
        const input = JSON.parse(JSON.stringify(args.input)) as Record<string, unknown>;
        calls.push({ service, command, input });
        const handler = responses[service]?.[command];
        if (!handler) throw awsError('UnexpectedCall', `no fake answer for ${service}.${command}`);
        return { output: { $metadata: {}, ...(handler(input) as object) } };
      },
      { step: 'initialize', name: 'fakeAwsAnswers', priority: 'high' },
    );
  }
  return {
    clients: real,
    calls,
    inputsOf: (service, command) =>
      calls.filter((c) => c.service === service && c.command === command).map((c) => c.input),
  };
}
