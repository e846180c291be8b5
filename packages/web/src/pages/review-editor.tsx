import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, Card, ErrorNote } from '../components';
import { useAction, useApi } from '../hooks';

interface ActionItem {
  id: string;
  title: string;
  owner: string;
  due: string;
  status: 'open' | 'in-progress' | 'done';
}

const ITEM_STATUSES = ['open', 'in-progress', 'done'] as const;
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function draftOf(review: any) {
  return {
    summary: review?.summary ?? '',
    impact: review?.impact ?? '',
    rootCause: review?.rootCause ?? '',
    contributingFactors: (review?.contributingFactors ?? []).join('\n'),
    lessonsLearned: (review?.lessonsLearned ?? []).join('\n'),
    status: review?.status ?? 'draft',
  };
}

/**
 * The post-incident review of one incident: summary, impact, root cause, factors, lessons and
 * action items. Saving the first time creates the review.
 */
export function ReviewEditor({ incidentId }: { incidentId: string }) {
  const loaded = useApi(async () => {
    const { reviews } = await api('/api/v1/reviews');
    return (reviews as any[]).find((r) => r.incidentId === incidentId) ?? null;
  }, [incidentId]);
  const review = loaded.data;
  const [draft, setDraft] = useState(draftOf(undefined));
  const [item, setItem] = useState({ title: '', owner: '', due: inDays(7) });
  const save = useAction(loaded.refresh);
  const [markdown, setMarkdown] = useState<string>();
  const exported = useAction();
  useEffect(() => setDraft(draftOf(review)), [review?.version]);

  const put = (body: object) =>
    save.run(() => api(`/api/v1/incidents/${incidentId}/review`, { method: 'PUT', body }));
  const items: ActionItem[] = review?.actionItems ?? [];
  const setItems = (next: ActionItem[]) => put({ actionItems: next });
  const text = (k: keyof typeof draft) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.target as HTMLTextAreaElement).value });

  return (
    <Card title="Post-incident review">
      <p>
        {review ? (
          <>
            <Badge value={review.status} /> <small>due {review.due}</small>
          </>
        ) : (
          loaded.data === null && <small>Not started: saving creates it.</small>
        )}
      </p>
      <ErrorNote error={loaded.error ?? save.error} />
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          put({
            summary: draft.summary,
            impact: draft.impact,
            rootCause: draft.rootCause,
            contributingFactors: lines(draft.contributingFactors),
            lessonsLearned: lines(draft.lessonsLearned),
            status: draft.status,
          });
        }}
      >
        <label for="review-summary">Summary</label>
        <textarea id="review-summary" rows={3} value={draft.summary} onInput={text('summary')} />
        <label for="review-impact">Impact</label>
        <textarea id="review-impact" rows={2} value={draft.impact} onInput={text('impact')} />
        <label for="review-root-cause">Root cause</label>
        <textarea id="review-root-cause" rows={3} value={draft.rootCause} onInput={text('rootCause')} />
        <label for="review-factors">Contributing factors (one per line)</label>
        <textarea
          id="review-factors"
          rows={3}
          value={draft.contributingFactors}
          onInput={text('contributingFactors')}
        />
        <label for="review-lessons">Lessons learned (one per line)</label>
        <textarea
          id="review-lessons"
          rows={3}
          value={draft.lessonsLearned}
          onInput={text('lessonsLearned')}
        />
        <label for="review-status">Review status</label>
        <select id="review-status" value={draft.status} onChange={text('status')}>
          <option value="draft">draft</option>
          <option value="published">published</option>
        </select>
        <div>
          <button type="submit" disabled={save.busy}>
            {review ? 'Save review' : 'Start review'}
          </button>
        </div>
      </form>

      <h4>Action items</h4>
      {items.length === 0 && <p>No action items yet.</p>}
      {items.length > 0 && (
        <table class="action-items">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-action-item={a.title}>
                <td>{a.status === 'done' ? <s>{a.title}</s> : a.title}</td>
                <td>{a.owner}</td>
                <td>{a.due}</td>
                <td>
                  <div class="row">
                    <select
                      aria-label={`Status of ${a.title}`}
                      value={a.status}
                      disabled={save.busy}
                      onChange={(e) =>
                        setItems(
                          items.map((x) =>
                            x.id === a.id
                              ? {
                                  ...x,
                                  status: (e.target as HTMLSelectElement).value as ActionItem['status'],
                                }
                              : x,
                          ),
                        )
                      }
                    >
                      {ITEM_STATUSES.map((s) => (
                        <option key={s}>{s}</option>
                      ))}
                    </select>
                    {a.status !== 'done' && (
                      <button
                        type="button"
                        disabled={save.busy}
                        aria-label={`Mark ${a.title} done`}
                        onClick={() =>
                          setItems(items.map((x) => (x.id === a.id ? { ...x, status: 'done' } : x)))
                        }
                      >
                        Done
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        class="row"
        aria-label="Add an action item"
        onSubmit={async (e) => {
          e.preventDefault();
          const added: ActionItem = {
            id: `ai_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
            title: item.title.trim(),
            owner: item.owner.trim(),
            due: item.due,
            status: 'open',
          };
          if (await setItems([...items, added])) setItem({ title: '', owner: '', due: inDays(7) });
        }}
      >
        <span class="field">
          <label for="item-title">Action item</label>
          <input
            id="item-title"
            value={item.title}
            onInput={(e) => setItem({ ...item, title: (e.target as HTMLInputElement).value })}
            required
          />
        </span>
        <span class="field">
          <label for="item-owner">Owner</label>
          <input
            id="item-owner"
            value={item.owner}
            onInput={(e) => setItem({ ...item, owner: (e.target as HTMLInputElement).value })}
            required
          />
        </span>
        <span class="field">
          <label for="item-due">Due</label>
          <input
            id="item-due"
            type="date"
            value={item.due}
            onInput={(e) => setItem({ ...item, due: (e.target as HTMLInputElement).value })}
            required
          />
        </span>
        <button type="submit" disabled={save.busy}>
          Add action item
        </button>
      </form>
      {review && (
        <div class="row">
          <button
            type="button"
            aria-expanded={markdown !== undefined}
            onClick={() =>
              markdown !== undefined
                ? setMarkdown(undefined)
                : exported.run(async () =>
                    setMarkdown(String(await api(`/api/v1/incidents/${incidentId}/review?format=markdown`))),
                  )
            }
          >
            {markdown === undefined ? 'Show as Markdown' : 'Hide Markdown'}
          </button>
        </div>
      )}
      <ErrorNote error={exported.error} />
      {markdown !== undefined && <pre data-testid="review-markdown">{markdown}</pre>}
    </Card>
  );
}
