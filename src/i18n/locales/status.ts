/** The status screen's menu entry; the screen's own strings load with it (src/i18n/lazy/status.ts). */
export default {
  zh: { status: { nav: '上报进度' } },
  en: { status: { nav: 'Status' } },
}
