import { useState } from 'preact/hooks';
import { api, setKey } from '../api';

/** Sign in by pasting an API key; it is kept for this browser tab only (sessionStorage). */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setValue] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setKey(key.trim());
    try {
      await api('/health/ready');
      onSignedIn();
    } catch (err) {
      setKey(null);
      setError((err as Error).message);
    }
  };
  return (
    <main class="signin">
      <h1>Vigil</h1>
      <p>
        Observability and incident response that runs in your own AWS account: metrics, logs, alerts,
        incidents, on-call and SLOs in one place.
      </p>
      <form onSubmit={submit} class="card">
        <label for="key">API key</label>
        <input
          id="key"
          type="password"
          autoComplete="off"
          value={key}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          placeholder="vgl_…"
          required
        />
        <button type="submit">Sign in</button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <section class="help">
        <h2>Where do I find a key?</h2>
        <p>
          <code>npm start</code> prints an admin key and a one-time sign-in link. On AWS, create keys with{' '}
          <code>POST /api/v1/keys</code> using an admin key; give the dashboard a key with the{' '}
          <code>read</code> scope (and <code>write</code> to acknowledge incidents or create silences).
        </p>
        <h2>What you will find inside</h2>
        <dl>
          <dt>Overview</dt>
          <dd>
            The health of every table, topic and scheduled job, what is firing right now, and the incidents
            still open, refreshed every 15 seconds.
          </dd>
          <dt>Executive</dt>
          <dd>
            SLO compliance and availability, incidents by severity, mean time to acknowledge and to resolve
            week by week, and the findings of the latest report.
          </dd>
          <dt>Metrics</dt>
          <dd>
            PromQL over everything your services send (OTLP, remote-write, text exposition or JSON), drawn as
            charts you can share by URL. Grafana connects to the same API as a Prometheus data source.
          </dd>
          <dt>Logs</dt>
          <dd>
            Search by service, level, text, regular expression or field, see the levels over time, tail new
            records live, and click a trace or request id to follow one request across services.
          </dd>
          <dt>Alerts</dt>
          <dd>
            Rules with their state and health, firing alerts you can silence in one click, silences, receivers
            with a test button and the routing tree.
          </dd>
          <dt>Incidents</dt>
          <dd>
            Acknowledge, investigate, resolve and close; every change lands on an immutable timeline with who
            did it and when. Write the post-incident review and track its action items beside it.
          </dd>
          <dt>On-call</dt>
          <dd>
            Who is on call now on every schedule, the next two weeks of shifts, and the escalation policies
            that page them.
          </dd>
          <dt>Reports</dt>
          <dd>Daily and weekly executive reports as they were mailed, and a button to generate one now.</dd>
        </dl>
        <p>
          The whole API is described at <a href="./api/v1/openapi.json">/api/v1/openapi.json</a>; every error
          comes back as problem+json naming the field that is wrong.
        </p>
      </section>
    </main>
  );
}
