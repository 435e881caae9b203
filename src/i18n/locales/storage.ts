export default {
  zh: {
    /** The backup reminder: on the home page (first page) and on /exchange. */
    backup: {
      reminder: {
        due: '已有 {unsent} 条已提交的评价尚未导出上报，且上次备份已超过 7 天（{days}）。请尽快备份或导出。',
        dueNever: '已有 {unsent} 条已提交的评价尚未导出上报，且本机从未备份过。请尽快备份或导出。',
        never: '从未备份',
        days: '{n} 天前',
        action: '去备份',
      },
    },
    storage: {
      lost: {
        title: {
          wiped: '浏览器删除了本应用在这台设备上的数据',
          replaced: '这台设备上的数据已不是原来那一份',
        },
        held: '{at} 时，这台设备上有 {stores} 个营业厅、{evaluations} 份评价（其中 {drafts} 份未完成）、{photos} 张照片和 {actions} 个整改事项。',
        demo: '其中包括示范数据。',
        neverBackedUp: '这台设备从未备份过：这 {n} 份评价已经丢失，除非它们已发送到别的设备。',
        sinceBackup:
          '上次备份于 {at}。此后改动过的 {n} 份评价不在备份里，已经丢失，除非它们已发送到别的设备。',
        backupHasAll: '上次备份于 {at}，此后没有改动过的评价：恢复这份备份即可找回全部评价。',
        server:
          '这台设备曾连接同步服务器 {url}（{user}）。已上传的数据仍在服务器上，重新登录即可同步回来；尚未上传的 {n} 项改动已经丢失。',
        why: '浏览器在存储空间紧张、清除网站数据或数据库损坏时会删除数据。恢复之前，请不要在这台设备上录入新数据。',
        restore: '恢复备份',
        sync: '重新登录并同步',
        goOn: '不恢复，继续使用',
        goOnSure: '确定不恢复吗？这条提示将不再显示。',
      },
      formMissing:
        '这份评价的记录已不在这台设备上（浏览器可能删除了本应用的数据），更改无法保存，重试也不会成功。屏幕上的答案尚未丢失，请先记下。',
      loadMissing: '这份评价不在这台设备上。它可能已被删除，或者浏览器删除了本应用的数据。',
    },
  },
  en: {
    backup: {
      reminder: {
        due: '{unsent} submitted evaluations have not been exported yet and the last backup is over 7 days old ({days}). Back up or export soon.',
        dueNever:
          '{unsent} submitted evaluations have not been exported yet and this device has never been backed up. Back up or export soon.',
        never: 'never backed up',
        days: '{n} days ago',
        action: 'Back up',
      },
    },
    storage: {
      lost: {
        title: {
          wiped: "The browser removed this app's data from this device",
          replaced: 'The data on this device is no longer the data it held',
        },
        held: 'At {at} this device held {stores} stores, {evaluations} evaluations ({drafts} unfinished), {photos} photos and {actions} corrective actions.',
        demo: ' They included the demo data.',
        neverBackedUp:
          'This device was never backed up: these {n} evaluations are lost unless they were sent to another device.',
        sinceBackup:
          'The last backup was made at {at}. The {n} evaluations changed since are not in it and are lost unless they were sent to another device.',
        backupHasAll:
          'The last backup was made at {at} and no evaluation changed since: restoring it brings every evaluation back.',
        server:
          'This device was connected to the sync server {url} ({user}). What was uploaded is still on the server: sign in again to sync it back. The {n} changes not yet uploaded are lost.',
        why: 'Browsers remove data when storage runs low, when site data is cleared, or when a database is damaged. Do not enter new data on this device before restoring.',
        restore: 'Restore a backup',
        sync: 'Sign in again and sync',
        goOn: 'Go on without restoring',
        goOnSure: 'Go on without restoring? This notice will not be shown again.',
      },
      formMissing:
        "This evaluation's record is no longer on this device (the browser may have removed the app's data), so changes cannot be saved and retrying will not help. The answers on screen are not lost yet: note them down first.",
      loadMissing:
        "This evaluation is not on this device. It may have been deleted, or the browser removed the app's data.",
    },
  },
}
