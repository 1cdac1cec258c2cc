/** How big a room stays a full mesh, and how many links each peer keeps past that. */
export interface MeshSize {
  fullMeshUpTo: number;
  targetDegree: number;
  maxDegree: number;
}

const KEYS: readonly (keyof MeshSize)[] = ['fullMeshUpTo', 'targetDegree', 'maxDegree'];
/** The signal server's default room cap: a larger full-mesh size could never be reached. */
const MAX_VALUE = 256;

/**
 * The deployment's mesh size: `<meta name="shoal-mesh" content="fullMeshUpTo=32,targetDegree=8,maxDegree=16">`
 * in index.html, each key overridden by the same name in the page URL (`?fullMeshUpTo=4`). Keys left
 * out, values that are not whole numbers from 1 to 256, and a maxDegree below targetDegree are ignored:
 * the mesh's defaults apply to them.
 */
export function meshSize(search: string, pageConfig: string | null): Partial<MeshSize> {
  const fromPage = new URLSearchParams((pageConfig ?? '').split(',').map((pair) => pair.trim()).join('&'));
  const fromUrl = new URLSearchParams(search);
  const size: Partial<MeshSize> = {};
  for (const key of KEYS) {
    const value = wholeNumber(fromUrl.get(key)) ?? wholeNumber(fromPage.get(key));
    if (value !== undefined) size[key] = value;
  }
  if (size.maxDegree !== undefined && size.targetDegree !== undefined && size.maxDegree < size.targetDegree) delete size.maxDegree;
  return size;
}

function wholeNumber(text: string | null): number | undefined {
  if (text === null || !/^\d{1,3}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= MAX_VALUE ? value : undefined;
}
