/**
 * Generated demo data: a province with a few cities, ~60 stores of every level and both types,
 * evaluations of both kinds for one period, photos and corrective actions. Deterministic: the
 * same seed gives the same data (seeded PRNG, clock passed in), so screenshots and tests are
 * repeatable. Also generates large store registers for benchmarks.
 *
 * Pure: the rubrics come in as arguments (the app loads them from rubrics/*.yaml).
 */
import { zlibSync } from 'fflate'
import type { Answer, Answers, Reviewer, Store, StoreLevel, StoreType } from '../domain/types'
import type { Rubric, RubricItem } from '../domain/rubric-schema'
import type { CorrectiveAction, Photo } from '../domain/records'

/** mulberry32: small, fast, good enough for test data; never used for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number

function pick<T>(rand: Rand, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x))
}

/** A UUID (v4 layout) drawn from the seeded generator, so ids are stable across runs. */
export function seededUuid(rand: Rand): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16))
  hex[12] = '4'
  hex[16] = '89ab'[Math.floor(rand() * 4)]!
  const s = hex.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}

// ---------------------------------------------------------------------------------------------
// Stores

interface CityDef {
  name: string
  abbr: string
  districts: readonly string[]
  places: readonly string[]
}

export const DEMO_PROVINCE = '江苏'

const DEMO_CITIES: readonly CityDef[] = [
  {
    name: '南京',
    abbr: 'NJ',
    districts: ['玄武区', '秦淮区', '鼓楼区', '建邺区', '江宁区'],
    places: [
      '新街口',
      '湖南路',
      '河西',
      '百家湖',
      '仙林',
      '夫子庙',
      '珠江路',
      '龙江',
      '迈皋桥',
      '江北',
      '中央门',
      '雨花',
    ],
  },
  {
    name: '苏州',
    abbr: 'SZ',
    districts: ['姑苏区', '工业园区', '吴中区', '相城区'],
    places: [
      '观前街',
      '石路',
      '湖东',
      '独墅湖',
      '木渎',
      '元和',
      '狮山',
      '金鸡湖',
      '胥口',
      '渭塘',
      '黄桥',
      '斜塘',
    ],
  },
  {
    name: '无锡',
    abbr: 'WX',
    districts: ['梁溪区', '滨湖区', '新吴区', '锡山区'],
    places: [
      '崇安寺',
      '太湖广场',
      '梅村',
      '东亭',
      '蠡湖',
      '旺庄',
      '胡埭',
      '安镇',
      '硕放',
      '荡口',
      '南长街',
    ],
  },
  {
    name: '常州',
    abbr: 'CZ',
    districts: ['天宁区', '钟楼区', '新北区', '武进区'],
    places: [
      '南大街',
      '湖塘',
      '万达',
      '新北',
      '邹区',
      '牛塘',
      '青果巷',
      '奔牛',
      '雪堰',
      '横林',
      '薛家',
    ],
  },
  {
    name: '徐州',
    abbr: 'XZ',
    districts: ['鼓楼区', '云龙区', '泉山区', '铜山区'],
    places: [
      '彭城广场',
      '淮海路',
      '金山桥',
      '新城区',
      '矿大',
      '铜山',
      '汉王',
      '大黄山',
      '三堡',
      '柳新',
      '潘塘',
      '贾汪',
    ],
  },
]

const LEVEL_WEIGHTS: readonly [StoreLevel, number][] = [
  [1, 0.1],
  [2, 0.25],
  [3, 0.4],
  [4, 0.25],
]

function pickLevel(rand: Rand): StoreLevel {
  let r = rand()
  for (const [level, w] of LEVEL_WEIGHTS) {
    if (r < w) return level
    r -= w
  }
  return 3
}

function demoStores(rand: Rand): Store[] {
  const stores: Store[] = []
  for (const city of DEMO_CITIES) {
    city.places.forEach((place, i) => {
      // The first store of each city is its flagship; the rest are drawn.
      const level: StoreLevel = i === 0 ? 1 : pickLevel(rand)
      const type: StoreType = i > 1 && rand() < 0.2 ? 'partner' : 'self'
      const district = pick(rand, city.districts)
      const suffix = type === 'partner' ? '合作营业厅' : level === 1 ? '旗舰店' : '营业厅'
      stores.push({
        code: `JS${city.abbr}${String(i + 1).padStart(3, '0')}`,
        name: `${city.name}${place}${suffix}`,
        province: DEMO_PROVINCE,
        city: city.name,
        district,
        level,
        type,
        address: `${DEMO_PROVINCE}省${city.name}市${district}${place}${/[路街]$/.test(place) ? '' : '路'}${1 + Math.floor(rand() * 300)}号`,
        openingHours: level <= 2 ? '08:30-20:30' : '09:00-18:00',
      })
    })
  }
  return stores
}

const PROVINCES: readonly string[] = [
  '北京',
  '天津',
  '河北',
  '山西',
  '内蒙古',
  '辽宁',
  '吉林',
  '黑龙江',
  '上海',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '广西',
  '海南',
  '重庆',
  '四川',
  '贵州',
  '云南',
  '西藏',
  '陕西',
  '甘肃',
  '青海',
  '宁夏',
  '新疆',
]

/**
 * `count` stores spread over `provinces` provinces (at most 31) with `citiesPerProvince`
 * cities each, levels and types drawn as in the demo. For benchmarks and load tests.
 */
export function generateStores(
  count: number,
  opts: { provinces?: number; citiesPerProvince?: number; seed?: number } = {},
): Store[] {
  const provinces = PROVINCES.slice(
    0,
    Math.max(1, Math.min(opts.provinces ?? 31, PROVINCES.length)),
  )
  const citiesPer = Math.max(1, opts.citiesPerProvince ?? 11)
  const rand = seededRandom(opts.seed ?? 1)
  const stores: Store[] = []
  for (let i = 0; i < count; i++) {
    const p = i % provinces.length
    const c = Math.floor(i / provinces.length) % citiesPer
    const province = provinces[p]!
    const city = `${province}${String(c + 1).padStart(2, '0')}市`
    stores.push({
      code: `S${String(p + 1).padStart(2, '0')}${String(c + 1).padStart(2, '0')}${String(i).padStart(6, '0')}`,
      name: `${city}第${i + 1}营业厅`,
      province,
      city,
      level: pickLevel(rand),
      type: rand() < 0.2 ? 'partner' : 'self',
    })
  }
  return stores
}

// ---------------------------------------------------------------------------------------------
// Answers

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '朱',
  '马',
  '胡',
]
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
]

function personName(rand: Rand): string {
  return pick(rand, SURNAMES) + pick(rand, GIVEN) + (rand() < 0.5 ? pick(rand, GIVEN) : '')
}

/** Hundredths, to keep generated values on the item's exact steps. */
function centi(points: number): number {
  return Math.round(points * 100)
}

interface GeneratedAnswer {
  answer: Answer
  /** The generator made this item lose points (so it needs evidence). */
  lost: boolean
}

/** An answer for one base item; `quality` in 0..1 is how good the store is on the day. */
function answerItem(item: RubricItem, quality: number, rand: Rand): GeneratedAnswer {
  const base = { itemId: item.id }
  if (item.allowNA && rand() < 0.05) return { answer: { ...base, na: true }, lost: false }
  const q = clamp01(quality + (rand() - 0.5) * 0.3)
  switch (item.kind) {
    case 'yesno': {
      // A red-line item fails the store outright: as rare as the red-line deductions below.
      const meets = item.redLine ? rand() >= (1 - quality) * 0.15 : rand() < 0.2 + 0.8 * q
      return { answer: { ...base, value: meets }, lost: !meets }
    }
    case 'scale': {
      const steps = Math.floor(centi(item.max) / centi(item.step))
      const k = Math.round(steps * (0.4 + 0.6 * q))
      return { answer: { ...base, value: (k * centi(item.step)) / 100 }, lost: k < steps }
    }
    case 'count': {
      const n = rand() < 0.3 + 0.7 * q ? 0 : 1 + Math.floor(rand() * 3)
      return { answer: { ...base, value: n }, lost: n > 0 }
    }
    case 'measure': {
      // Band index drawn from quality: 0 is the best band; bands.length means past the worst.
      const bands = item.bands
      const idx = Math.min(bands.length, Math.floor((1 - q) * (bands.length + 1) * rand() * 1.6))
      const lower = item.better === 'lower'
      const limit = bands[Math.min(idx, bands.length - 1)]!.limit
      const prev = idx === 0 ? (lower ? 0 : limit * 1.5) : bands[idx - 1]!.limit
      let value: number
      if (idx === bands.length) value = lower ? limit * 1.3 + 1 : limit * 0.6
      else value = prev + (limit - prev) * (0.2 + 0.8 * rand())
      value = Math.round(value * 10) / 10
      const points = idx < bands.length ? bands[idx]!.points : 0
      return { answer: { ...base, value }, lost: points < item.max }
    }
  }
}

function evidenceNote(rand: Rand): string {
  return pick(rand, [
    '现场检查发现未达标,已当场指出。',
    '抽查时未按规范执行,需整改。',
    '高峰时段观察到问题,已拍照留存。',
    '与厅经理沟通,承诺一周内整改。',
    '顾客反映问题属实。',
  ])
}

const DEMO_PHOTO = { width: 160, height: 120 }

function crc32(bytes: Uint8Array): number {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const v = new DataView(out.buffer)
  v.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** HSL (h in degrees, s and l in 0..1) to 8-bit RGB. */
function hslRgb(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 30) % 12
    return Math.round(255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1))))
  }
  return [f(0), f(8), f(4)]
}

/**
 * A real PNG standing in for a photo in the demo (bytes + MIME, like real photos): a pastel
 * picture with a darker band, its hue drawn per photo. Photos must be images by their bytes
 * (domain/image-type), so the demo carries no SVG.
 */
function demoPhotoBytes(hue: number): ArrayBuffer {
  const { width, height } = DEMO_PHOTO
  const header = new Uint8Array(13)
  const hv = new DataView(header.buffer)
  hv.setUint32(0, width)
  hv.setUint32(4, height)
  header.set([8, 3, 0, 0, 0], 8) // 8-bit palette, deflate, no interlace
  const palette = new Uint8Array([...hslRgb(hue, 0.45, 0.78), ...hslRgb(hue, 0.45, 0.55)])
  const raw = new Uint8Array((width + 1) * height)
  for (let y = 0; y < height; y++) {
    const band = y > height * 0.4 && y < height * 0.6 ? 1 : 0
    raw.fill(band, y * (width + 1) + 1, (y + 1) * (width + 1)) // filter byte 0, then pixels
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('PLTE', palette),
    pngChunk('IDAT', zlibSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    png.set(p, at)
    at += p.length
  }
  return png.buffer
}

export interface GeneratedAnswers {
  answers: Answers
  /** Items that lost points, in rubric order. */
  lostItemIds: string[]
  /** Photos referenced from `answers` (evaluationId filled by the caller via `forEvaluation`). */
  photos: Omit<Photo, 'evaluationId'>[]
}

/**
 * A full set of answers for `rubric`: every base item answered, bonus and deduction items drawn,
 * and evidence (note, and a placeholder photo where the rubric demands one) on lost items.
 */
export function generateAnswers(
  rubric: Rubric,
  quality: number,
  rand: Rand,
  capturedAt: string,
): GeneratedAnswers {
  const answers: Answers = {}
  const lostItemIds: string[] = []
  const photos: Omit<Photo, 'evaluationId'>[] = []
  const addEvidence = (answer: Answer, rule: string) => {
    if (rule === 'none') return
    answer.note = evidenceNote(rand)
    if (rule === 'photo') {
      const bytes = demoPhotoBytes(Math.floor(rand() * 360))
      const photo = {
        id: seededUuid(rand),
        itemId: answer.itemId,
        bytes,
        mime: 'image/png',
        ...DEMO_PHOTO,
        thumbBytes: bytes.slice(0),
        thumbMime: 'image/png',
        capturedAt,
      }
      photos.push(photo)
      answer.photoIds = [photo.id]
    }
  }
  for (const section of rubric.sections) {
    for (const item of section.items) {
      const { answer, lost } = answerItem(item, quality, rand)
      if (lost) {
        lostItemIds.push(item.id)
        addEvidence(answer, item.evidence ?? rubric.evidence)
      }
      answers[item.id] = answer
    }
  }
  for (const item of rubric.bonus?.items ?? []) {
    const earned = rand() < quality * 0.12
    const value = item.kind === 'yesno' ? earned : earned ? 1 + Math.floor(rand() * 2) : 0
    answers[item.id] = { itemId: item.id, value }
    if (earned && item.evidence && item.evidence !== 'none')
      answers[item.id]!.note = '亮点:顾客表扬。'
  }
  for (const item of rubric.deductions?.items ?? []) {
    const happened = rand() < (1 - quality) * 0.15
    const value = item.kind === 'yesno' ? happened : happened ? 1 : 0
    answers[item.id] = { itemId: item.id, value }
    if (happened) {
      lostItemIds.push(item.id)
      addEvidence(answers[item.id]!, item.evidence ?? rubric.evidence)
    }
  }
  return { answers, lostItemIds, photos }
}

// ---------------------------------------------------------------------------------------------
// The demo province

export interface DemoEvaluation {
  id: string
  storeCode: string
  period: string
  reviewer: Reviewer
  evaluatorName: string
  rubricId: string
  rubricVersion: string
  status: 'draft' | 'submitted'
  answers: Answers
  createdAt: string
  submittedAt: string | null
}

export interface DemoData {
  stores: Store[]
  evaluations: DemoEvaluation[]
  photos: Photo[]
  actions: CorrectiveAction[]
}

export interface DemoOptions {
  seed?: number
  period?: string
  /** The first day of the period's visits, ISO date; evaluations are spread over ~80 days. */
  startDate?: string
  /** The quarter before, for trends; null for one period only. */
  previous?: { period: string; startDate: string } | null
}

/**
 * The rubric a demo store is evaluated with: of the evaluation rubrics whose `appliesTo` covers
 * its level and type, a scored one before a checklist. The app passes its registry's own choice
 * instead (a function), so demo and real evaluations pick alike.
 */
export function rubricForStore(rubrics: readonly Rubric[], store: Store): Rubric | undefined {
  const fitting = rubrics.filter(
    (r) =>
      (r.purpose ?? 'evaluation') === 'evaluation' &&
      r.appliesTo.levels.includes(store.level) &&
      r.appliesTo.types.includes(store.type),
  )
  return fitting.find((r) => r.scored) ?? fitting[0]
}

export type RubricChooser = (store: Store) => Rubric | undefined

function isoAt(startMs: number, dayOffset: number, rand: Rand): string {
  const minutes = 9 * 60 + Math.floor(rand() * 8 * 60)
  return new Date(startMs + dayOffset * 86_400_000 + minutes * 60_000).toISOString()
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The demo province. Every store a rubric applies to gets a submitted self-assessment (a little
 * rosier than the inspections, as the seeds' self-report/inspection gap suggests); most get a
 * city inspection, some a province one, and a few inspections are still drafts. Some lost
 * items of inspections become corrective actions, a few already checked off. The quarter
 * before (`previous`, 2026-Q3 by default) has submitted self-assessments and city inspections
 * of the same stores, a little weaker, so trends have two points; it draws from its own
 * random stream, so the main period is the same with or without it.
 */
export function generateDemo(
  rubrics: Rubric | readonly Rubric[] | RubricChooser,
  opts: DemoOptions = {},
): DemoData {
  const choose: RubricChooser =
    typeof rubrics === 'function'
      ? rubrics
      : (s) => rubricForStore(Array.isArray(rubrics) ? rubrics : [rubrics as Rubric], s)
  const seed = opts.seed ?? 20261001
  const rand = seededRandom(seed)
  const period = opts.period ?? '2026-Q4'
  const startMs = Date.parse(`${opts.startDate ?? '2026-10-08'}T00:00:00Z`)
  const stores = demoStores(rand)
  const out: DemoData = { stores, evaluations: [], photos: [], actions: [] }

  const cityInspectors = new Map(
    DEMO_CITIES.map((c) => [c.name, [personName(rand), personName(rand)]]),
  )
  const provinceInspectors = [personName(rand), personName(rand)]
  const qualityOf = new Map<string, number>()

  for (const store of stores) {
    const rubric = choose(store)
    if (!rubric) continue
    // Larger stores tend to be better run; spread keeps every grade present.
    const quality = clamp01(0.6 + (4 - store.level) * 0.03 + rand() * 0.36)
    qualityOf.set(store.code, quality)
    const visits: Visit[] = [
      { reviewer: 'self', evaluator: personName(rand), draft: false, bias: 0.05 },
    ]
    if (rand() < 0.65)
      visits.push({
        reviewer: 'city',
        evaluator: pick(rand, cityInspectors.get(store.city)!),
        draft: rand() < 0.08,
        bias: 0,
      })
    if (store.level <= 2 && rand() < 0.4)
      visits.push({
        reviewer: 'province',
        evaluator: pick(rand, provinceInspectors),
        draft: false,
        bias: -0.02,
      })
    addVisits(out, { store, rubric, period, startMs, quality, visits, doneShare: 0.3 }, rand)
  }

  const previous = opts.previous === undefined ? DEFAULT_PREVIOUS : opts.previous
  if (previous) {
    const before = seededRandom(seed ^ 0x5eed)
    const prevStartMs = Date.parse(`${previous.startDate}T00:00:00Z`)
    for (const store of stores) {
      const rubric = choose(store)
      const now = qualityOf.get(store.code)
      if (!rubric || now === undefined) continue
      const quality = clamp01(now - 0.04 + (before() - 0.5) * 0.06)
      const visits: Visit[] = [
        { reviewer: 'self', evaluator: personName(before), draft: false, bias: 0.05 },
      ]
      if (before() < 0.65)
        visits.push({
          reviewer: 'city',
          evaluator: pick(before, cityInspectors.get(store.city)!),
          draft: false,
          bias: 0,
        })
      addVisits(
        out,
        {
          store,
          rubric,
          period: previous.period,
          startMs: prevStartMs,
          quality,
          visits,
          // A quarter on, most of its corrective actions are done.
          doneShare: 0.85,
        },
        before,
      )
    }
  }
  return out
}

const DEFAULT_PREVIOUS = { period: '2026-Q3', startDate: '2026-07-08' }

interface Visit {
  reviewer: Reviewer
  evaluator: string
  draft: boolean
  bias: number
}

/** One store's visits of a period: evaluations, their photos, and corrective actions. */
function addVisits(
  out: DemoData,
  v: {
    store: Store
    rubric: Rubric
    period: string
    startMs: number
    quality: number
    visits: Visit[]
    /** The share of corrective actions already checked off. */
    doneShare: number
  },
  rand: Rand,
): void {
  const { store, rubric, period, startMs, quality } = v
  let day = Math.floor(rand() * 20)
  for (const visit of v.visits) {
    const createdAt = isoAt(startMs, day, rand)
    day += 10 + Math.floor(rand() * 25)
    const id = seededUuid(rand)
    const gen = generateAnswers(rubric, clamp01(quality + visit.bias), rand, createdAt)
    let answers = gen.answers
    if (visit.draft) {
      // A draft stops part-way through the form.
      const keep = Object.keys(answers).slice(0, Math.floor(Object.keys(answers).length * 0.6))
      answers = Object.fromEntries(keep.map((k) => [k, gen.answers[k]!]))
    }
    const kept = new Set(Object.values(answers).flatMap((a) => a.photoIds ?? []))
    for (const p of gen.photos) if (kept.has(p.id)) out.photos.push({ ...p, evaluationId: id })
    out.evaluations.push({
      id,
      storeCode: store.code,
      period,
      reviewer: visit.reviewer,
      evaluatorName: visit.evaluator,
      rubricId: rubric.id,
      rubricVersion: rubric.version,
      status: visit.draft ? 'draft' : 'submitted',
      answers,
      createdAt,
      submittedAt: visit.draft ? null : new Date(Date.parse(createdAt) + 90 * 60_000).toISOString(),
    })
    if (visit.reviewer !== 'self' && !visit.draft) {
      for (const itemId of gen.lostItemIds.slice(0, 2)) {
        if (rand() < 0.5) continue
        const done = rand() < v.doneShare
        const due = addDays(createdAt, 14 + Math.floor(rand() * 14))
        out.actions.push({
          id: seededUuid(rand),
          storeCode: store.code,
          evaluationId: id,
          itemId,
          what: `整改:${answers[itemId]?.note ?? '按标准整改'}`,
          who: `${store.name}厅经理`,
          due,
          status: done ? 'done' : 'open',
          createdAt,
          doneAt: done ? `${due}T10:00:00.000Z` : null,
          doneEvaluationId: null,
          evidenceNote: done ? '已整改,复查合格。' : null,
          evidencePhotoIds: [],
        })
      }
    }
  }
}
