import { createApp } from 'vue'
import App from './App.vue'
import { installPinia } from './modules/pinia'
import { installI18n } from './i18n'
import { installRouter } from './router'
import { registerServiceWorker } from './pwa/register'
import './styles/main.css'

const app = createApp(App)
installPinia(app)
installI18n(app)
installRouter(app)
app.mount('#app')
registerServiceWorker()
