import { staleSample } from '../metrics/stale';
import {
  anyValueText,
  type DataPoint,
  type KeyValue,
  noRecordedValue,
  type OtlpRejections,
  type OtlpResource,
  pointLabels,
  walkOtlpMetrics,
} from './otlp';
import { describeLabelSet, type LabelSet, type SeriesBatch } from './series-batch';

/**
 * Label sets already checked under one resource, found by the point's attributes (raw key, then
 * value text, in the order sent), then the metric name, then the extra label (`le`, `quantile`).
 * Walking it reads the strings JSON.parse made and builds none.
 */
interface AttributeNode {
  next?: Map<string, Map<string, AttributeNode>>;
  names?: Map<string, NameNode>;
  /** The last entries of `next` and `names` used: points mostly share attribute keys and names. */
  lastKey?: string;
  lastValues?: Map<string, AttributeNode>;
  lastName?: string;
  lastNamed?: NameNode;
}
interface NameNode {
  set?: LabelSet;
  extras?: Map<string, Map<string, LabelSet>>;
}

/**
 * Every resource's tree, by a key of its labels: a live exporter sends the same series in every
 * export, so most points are found here and need no validation, sorting or hashing. Emptied
 * when it holds too many nodes.
 */
const cache = new Map<string, AttributeNode>();
const CACHE_NODES = 200_000;
let nodes = 0;

/** Adds a node to the cache, emptying the cache first when it is full. */
function grow<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (++nodes > CACHE_NODES) {
    // Trees this request already holds stay usable; they are only no longer shared.
    cache.clear();
    nodes = 0;
  }
  map.set(key, value);
  return value;
}

/** The tree of a resource, or undefined when a label value is not a string. */
function resourceTree(labels: Record<string, string>): AttributeNode | undefined {
  let key = '';
  for (const name in labels) {
    const value = labels[name];
    if (typeof value !== 'string') return undefined;
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  return cache.get(key) ?? grow(cache, key, {});
}

/** The node of a point's attributes, or undefined for anything but a list of string-valued ones. */
function attributeNode(root: AttributeNode, list: KeyValue[] | undefined): AttributeNode | undefined {
  if (list === undefined || list === null) return root;
  if (!Array.isArray(list)) return undefined;
  let node = root;
  for (const kv of list) {
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') return undefined;
    const text = anyValueText(kv.value);
    if (typeof text !== 'string') return undefined;
    let values = node.lastValues;
    if (kv.key !== node.lastKey || values === undefined) {
      node.next ??= new Map();
      values = node.next.get(kv.key) ?? grow(node.next, kv.key, new Map<string, AttributeNode>());
      node.lastKey = kv.key;
      node.lastValues = values;
    }
    node = values.get(text) ?? grow(values, text, {});
  }
  return node;
}

/**
 * Adds an OTLP/HTTP JSON metrics export to `batch`, with the same entries, labels, errors and
 * counts as adding every series of `translateOtlpMetrics` would give, but each label set is
 * checked once per process rather than once per point.
 */
export function collectOtlpMetrics(body: unknown, now: number, batch: SeriesBatch): OtlpRejections {
  let lastResource: OtlpResource | undefined;
  let tree: AttributeNode | undefined;
  let lastPoint: DataPoint | undefined;
  let node: AttributeNode | undefined;
  return walkOtlpMetrics(body, now, {
    sample(name, resource, point, time, value, extraName, extraValue) {
      if (resource !== lastResource) {
        lastResource = resource;
        tree = resourceTree(resource.labels);
        lastPoint = undefined;
      }
      if (point !== lastPoint) {
        lastPoint = point;
        node = tree && attributeNode(tree, point.attributes);
      }
      const stale = noRecordedValue(point);
      if (node === undefined) {
        batch.add({
          name,
          labels: pointLabels(resource, point, extraName, extraValue),
          samples: [stale ? staleSample(time) : [time, value]],
        });
        return;
      }
      let named = node.lastNamed;
      if (name !== node.lastName || named === undefined) {
        node.names ??= new Map();
        named = node.names.get(name) ?? grow(node.names, name, {} as NameNode);
        node.lastName = name;
        node.lastNamed = named;
      }
      let set: LabelSet | undefined;
      if (extraName === undefined) {
        set = named.set ??= describeLabelSet(name, pointLabels(resource, point));
      } else {
        named.extras ??= new Map();
        const values =
          named.extras.get(extraName) ?? grow(named.extras, extraName, new Map<string, LabelSet>());
        set = values.get(extraValue as string);
        set ??= grow(
          values,
          extraValue as string,
          describeLabelSet(name, pointLabels(resource, point, extraName, extraValue)),
        );
      }
      batch.addSample(set, time, value, stale);
    },
  });
}
