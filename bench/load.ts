/**
 * Load lines driven by autocannon. Latencies are recorded here (its own histogram keeps 2xx only
 * and has no p95; a filing answers 303): for pages, each response's time as autocannon reports
 * it; for POSTs, from the moment the request is built (autocannon writes it at once) to its
 * response. Percentiles are exact, by nearest rank over every measured response.
 */
import autocannon from 'autocannon';
import { formCsrf, hiddenValue, multipart } from './portal-client.js';

export type LineResult = {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Errors by kind: an HTTP status, `timeout`, `connexion`, `formulaire sans jeton`. */
  errorKinds: Record<string, number>;
  count: number;
};

type Tally = { latencies: number[]; errors: Record<string, number> };

const newTally = (): Tally => ({ latencies: [], errors: {} });

function countError(tally: Tally, kind: string | number, n = 1) {
  if (n > 0) tally.errors[kind] = (tally.errors[kind] ?? 0) + n;
}

const WARM_UP_SECONDS = 1;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function summary(tally: Tally, seconds: number): LineResult {
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  return {
    rps: tally.latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    errors: Object.values(tally.errors).reduce((a, b) => a + b, 0),
    errorKinds: tally.errors,
    count: tally.latencies.length,
  };
}

/** One autocannon run; `onResponse` sees every response's status and time (ms). */
function cannon(options: autocannon.Options, onResponse: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, status, _bytes, ms) => onResponse(status, ms));
  });
}

/** A warm-up run (not measured), then the measured one; returns the measured tally and its length. */
async function warmThenMeasure(
  options: (tally: Tally) => { cannon: autocannon.Options; onResponse: (status: number, ms: number) => void },
  seconds: number,
): Promise<LineResult> {
  const warm = options(newTally());
  await cannon({ ...warm.cannon, duration: WARM_UP_SECONDS }, warm.onResponse);
  const tally = newTally();
  const run = options(tally);
  const t0 = performance.now();
  const result = await cannon({ ...run.cannon, duration: seconds }, run.onResponse);
  // autocannon's errors include its timeouts.
  countError(tally, 'connexion', result.errors - result.timeouts);
  countError(tally, 'timeout', result.timeouts);
  return summary(tally, (performance.now() - t0) / 1000);
}

/** GET pages (cycling through `paths`); anything but a 2xx is an error. */
export function getLine(
  base: string,
  paths: string[],
  cookie: string | undefined,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
) {
  let next = 0;
  return warmThenMeasure(
    (tally) => ({
      cannon: {
        url: base,
        connections,
        headers: cookie ? { ...headers, cookie } : headers,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
          },
        ],
      },
      onResponse: (status, ms) => {
        tally.latencies.push(ms);
        if (status < 200 || status >= 300) countError(tally, status);
      },
    }),
    seconds,
  );
}

/** A form sent by POST: where its page is, where it goes, and what it carries besides its tokens. */
export type FormSpec = {
  /** The page holding the form, for the n-th submission. */
  page: (n: number) => string;
  /** The form's action, as written in the page. */
  action: (page: string) => string;
  /** Hidden one-time token: its name, and how its value ends (the comment forms add `-add_info`). */
  tokenSuffix?: string;
  fields: (n: number) => Record<string, string>;
  /** Every answer to a submission, with its headers (to collect what was created). */
  onAnswer?: (status: number, headers: Record<string, string>) => void;
};

type FormContext = { page?: string; pageStatus?: number; csrf?: string; token?: string; sentAt?: number };

/**
 * Each connection fetches the form page (fresh CSRF token, fresh one-time token), then posts it;
 * only the POSTs are counted. A POST answered by anything but a 303 redirect is an error.
 */
export function formLine(base: string, cookie: string, spec: FormSpec, connections: number, seconds: number) {
  let next = 0;
  return warmThenMeasure(
    (tally) => ({
      cannon: {
        url: base,
        connections,
        headers: { cookie },
        requests: [
          {
            method: 'GET',
            setupRequest: (request, context: FormContext) => {
              context.page = spec.page(next);
              return { ...request, path: context.page };
            },
            onResponse: (status, body, context: FormContext) => {
              context.pageStatus = status;
              const page = context.page ?? '';
              context.csrf = status === 200 ? formCsrf(body, spec.action(page)) : undefined;
              context.token = status === 200 ? hiddenValue(body, 'token', spec.tokenSuffix) : undefined;
            },
          },
          {
            method: 'POST',
            setupRequest: (request, context: FormContext) => {
              if (!context.csrf || !context.token) {
                // The form page did not give its tokens: the submission cannot be made. A page
                // that never came (timeout, lost connection) is already counted by autocannon.
                if (context.pageStatus !== undefined) countError(tally, `formulaire sans jeton (${context.pageStatus})`);
                return undefined as unknown as autocannon.Request;
              }
              const action = spec.action(context.page ?? '');
              const { body, contentType } = multipart({ _csrf: context.csrf, token: context.token, ...spec.fields(next++) });
              // autocannon writes the request as soon as it is built: its time starts here.
              context.sentAt = performance.now();
              return {
                ...request,
                path: action,
                headers: { ...request.headers, cookie, 'content-type': contentType },
                body,
              };
            },
            onResponse: (status, _body, context: FormContext, headers) => {
              tally.latencies.push(performance.now() - (context.sentAt ?? 0));
              if (status !== 303) countError(tally, status);
              spec.onAnswer?.(status, headers as Record<string, string>);
            },
          },
        ],
      },
      // The POSTs are timed and checked in their own onResponse, the form pages not at all.
      onResponse: () => {},
    }),
    seconds,
  );
}
