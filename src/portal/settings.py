"""Settings: every value comes from the environment (12-factor) through django-environ.

Safe defaults make `make run` work on a fresh machine with SQLite and the sandbox world;
production sets SECRET_KEY, PID_HASH_KEY, FIELD_ENCRYPTION_KEY, DATABASE_URL, REDIS_URL and
SANDBOX=0. See .env.example for every variable.
"""

import base64
import hashlib
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from django.templatetags.static import static
from django.utils.csp import CSP
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SANDBOX = env.bool("SANDBOX", default=False)
TESTING = env.bool("TESTING", default=False)

# Development keys (debug, sandbox, tests) may be made up or derived; production names each
# key on its own and refuses to start without it, so that no key is guessable, none is derived
# from another (rotating one does not rotate the others) and none is silently empty.
DEVELOPMENT_KEYS = DEBUG or SANDBOX or TESTING


def _required_key(name: str, value):
    if not value and not DEVELOPMENT_KEYS:
        raise environ.ImproperlyConfigured(
            f"{name} must be set in production (DEBUG=0, SANDBOX=0); see .env.example"
        )
    return value


_DEV_SECRET = "dev-only-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = _required_key(
    "SECRET_KEY", env.str("SECRET_KEY", default=_DEV_SECRET if DEVELOPMENT_KEYS else "")
)


def _derived_key(purpose: str) -> str:
    # Development keys derive from SECRET_KEY; production sets each key on its own so that
    # rotating one does not rotate the others.
    return hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).hexdigest()


def _development_key(purpose: str) -> str:
    return _derived_key(purpose) if DEVELOPMENT_KEYS else ""


# Keyed hash of national IDs for login look-up and for blocking re-registration (ACC-15).
PID_HASH_KEY = _required_key(
    "PID_HASH_KEY", env.str("PID_HASH_KEY", default=_development_key("pid-hash"))
)
# Fernet key(s) for personal data that must be shown again; the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = _required_key(
    "FIELD_ENCRYPTION_KEYS",
    env.list(
        "FIELD_ENCRYPTION_KEYS",
        default=[base64.urlsafe_b64encode(bytes.fromhex(_derived_key("field-encryption"))).decode()]
        if DEVELOPMENT_KEYS
        else [],
    ),
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "altcha_django",
    "portal.core",
    "portal.accounts",
    "portal.identity",
    "portal.registries",
    "portal.operators",
    "portal.backoffice",
    "portal.services",
    "portal.billing",
    "portal.documents",
    "portal.workdays",
    "portal.permits",
    # After portal.registries: its db_worker and run_redis_tasks (the libraries' workers with
    # the portal's schedule) take precedence over the libraries' own commands of those names.
    "django_tasks_db",
    "django_tasks_redis",
    "oauth2_provider",
]
if SANDBOX:
    INSTALLED_APPS.append("portal.sandbox")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "portal.core.middleware.FormActionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed on the fly (static files are compressed ahead of time; whitenoise
    # answers them before this). Every middleware below writes the answer before this
    # compresses it; those above only add headers. BREACH: docs/decisions.md.
    "portal.core.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.identity.middleware.SessionActivityMiddleware",  # SSO-10: last active
    "portal.core.middleware.ActingContextMiddleware",
    "portal.core.middleware.LanguageMiddleware",
    "portal.accounts.middleware.ConsentRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.core.middleware.PrivatePagesMiddleware",
    "portal.core.middleware.RequestSizeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "portal.core.context_processors.portal",
            ],
        },
    },
    {
        # The rows of long lists only (portal.core.jinja; templates in each app's jinja2/).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "portal.core.jinja.environment"},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # SQLite has no covering indexes: the non-key columns PostgreSQL's indexes carry (the
    # permit queue's) are left out there, as Django says on every command otherwise.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # SSD storage: random reads cost little more than sequential ones. PostgreSQL's default
    # (4) makes it scan a whole table for a consultant's 300 rows instead of using the index.
    DATABASES["default"]["OPTIONS"] = {
        "options": f"-c random_page_cost={env.float('DB_RANDOM_PAGE_COST', default=1.1)}"
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # A database cache is shared by every process (web and worker), so the robot check's
    # used solutions, the schedule's guards and the sandbox failure switches hold across
    # them; the table is created by a migration. Django culls a third of the table once it
    # holds MAX_ENTRIES (default 300) rows, live ones included: a used robot-check solution
    # could then be replayed and a switched-off SMS gateway come back on. Expired rows are
    # culled first, so a high ceiling only bounds the table.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": env.int("DATABASE_CACHE_MAX_ENTRIES", default=1_000_000)},
        }
    }

# Background tasks (Django 6 django.tasks). "db" is the embedded default with its db_worker;
# "redis" runs on Redis Streams (django-tasks-redis) for scale; "immediate" runs inline.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="db")
# A task RUNNING for longer than this is taken to belong to a dead worker and runs again
# (database backend: portal.registries.schedule's reaper; Redis: REDIS_CLAIM_TIMEOUT). Longer
# than any task takes: a send is bounded by the gateway's timeout and retries.
TASKS_CLAIM_TIMEOUT_SECONDS = env.int("TASKS_CLAIM_TIMEOUT_SECONDS", default=300)
_TASK_BACKENDS = {
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []},
    "redis": {
        "BACKEND": "django_tasks_redis.RedisTaskBackend",
        "QUEUES": [],
        "OPTIONS": {
            "REDIS_URL": env.str("TASKS_REDIS_URL", default="")
            or REDIS_URL
            or "redis://127.0.0.1:6379/0",
            "REDIS_KEY_PREFIX": env.str("TASKS_REDIS_PREFIX", default="portal_tasks"),
            # The library's own recovery: a message held longer than this by a dead worker is
            # claimed by a live one (run_redis_tasks sweeps every --claim-interval seconds).
            "REDIS_CLAIM_TIMEOUT": TASKS_CLAIM_TIMEOUT_SECONDS,
        },
    },
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
# The schedule the task workers run (portal.registries.schedule, docs/decisions.md): every
# TASKS_SCHEDULE_SECONDS each worker recovers expired claims, then runs each job below that no
# worker ran within its period. A job is a dotted path to a function taking no argument, or
# "manage:<command>". Finished task rows: successful ones kept TASKS_KEEP_SUCCESSFUL_HOURS,
# failed ones TASKS_KEEP_FAILED_DAYS.
TASKS_SCHEDULE_SECONDS = env.float("TASKS_SCHEDULE_SECONDS", default=30.0)
TASKS_KEEP_SUCCESSFUL_HOURS = env.int("TASKS_KEEP_SUCCESSFUL_HOURS", default=24)
TASKS_KEEP_FAILED_DAYS = env.int("TASKS_KEEP_FAILED_DAYS", default=14)
PERIODIC_JOBS = {
    "outbound-sweep": ("portal.registries.schedule.outbound_sweep", 60),
    "task-results-purge": ("portal.registries.schedule.task_results_purge", 3600),
    "sign-ins-sweep": ("manage:sign_ins_sweep", 300),
    # Ended windows of the database rate limiter (on Redis they expire by themselves).
    "rate-counters-purge": ("portal.core.ratelimit.ratelimit_purge_expired", 3600),
    # The DIW factory mirror, incrementally (billing.services.factories_sync).
    "diw-factories-sync": ("manage:diw_factories_sync", 3600),
    # The annual bill run (BILL-02), once a day; a run killed in the middle is resumed.
    "bill-run": ("manage:bill_run", 86400),
    # Bills past their expiry stop being payable (BILL-06).
    "bills-expire": ("portal.billing.services.bills_expire", 900),
    # Permits (issue 11): deficiency deadlines passed return applications (PRM-08); applicants
    # past due told every 7 days (PRM-12); officers told each morning of steps due next. Each
    # is idempotent by day, so running hourly only catches up sooner after a restart.
    "permit-deficiencies-expire": ("portal.permits.tasks.deficiencies_expire_job", 3600),
    "permit-late-notices": ("portal.permits.tasks.late_notices_job", 3600),
    "permit-morning-notice": ("portal.permits.tasks.morning_notice_job", 3600),
    # PRM-11's figures computed for the day, so that the statistics pages only read them.
    "permit-statistics": ("portal.permits.tasks.statistics_job", 3600),
}
# Outbound SMS and email: attempts before a message is given up, and the first retry's wait,
# doubled after each failed attempt (30 s, 60 s, 120 s ...).
OUTBOUND_MAX_ATTEMPTS = env.int("OUTBOUND_MAX_ATTEMPTS", default=4)
OUTBOUND_RETRY_SECONDS = env.int("OUTBOUND_RETRY_SECONDS", default=30)
# A message left "sending" for longer than this belongs to a dead worker and the sweep sends it
# again (the gateway deduplicates by the record's reference). A send is bounded by the
# gateway's timeout and retries (well under a minute) and by the SMTP timeout, so this is far
# shorter than the task claim (TASKS_CLAIM_TIMEOUT_SECONDS, the smaller of the two wins): a
# code whose worker was killed mid-send still arrives within its 5 minutes.
OUTBOUND_CLAIM_TIMEOUT_SECONDS = env.int("OUTBOUND_CLAIM_TIMEOUT_SECONDS", default=90)

AUTH_USER_MODEL = "accounts.Member"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.NationalIdBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "portal.accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "portal.accounts.hashers.ClientSecretHasher",  # OAuth client secrets only
]
# Argon2id cost (OWASP 2024 minimum is m=19 MiB, t=2, p=1); tune per hardware with bench/login.
ARGON2_TIME_COST = env.int("ARGON2_TIME_COST", default=2)
ARGON2_MEMORY_COST_KIB = env.int("ARGON2_MEMORY_COST_KIB", default=19456)
ARGON2_PARALLELISM = env.int("ARGON2_PARALLELISM", default=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "portal.accounts.passwords.PortalPasswordValidator"},
]

# Login throttling (ACC-09): lockout per (national ID, IP) pair so that nobody can lock an
# owner out from elsewhere, and it ends by itself after the cool-off (docs/decisions.md).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# Beside axes' (ID, address) lockout: wrong passwords per ID from all addresses in an hour,
# after which that ID's password login waits; ThaID and reset by OTP stay open (issue 8).
ACCOUNT_LOGIN_FAILURES_PER_HOUR = env.int("ACCOUNT_LOGIN_FAILURES_PER_HOUR", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "national_id"
AXES_USERNAME_CALLABLE = "portal.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["national_id", "password", "robot", "csrfmiddlewaretoken"]
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.core.network.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not axes' business; keeps login lean
# With Redis the failure counters live in the cache (shared, expiring, no database writes on
# the login path); without it, in the database.
AXES_HANDLER = env.str(
    "AXES_HANDLER",
    default="axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler",
)

# Self-hosted robot check (altcha proof of work); no third-party service.
ALTCHA_HMAC_SECRET = _required_key(
    "ALTCHA_HMAC_SECRET", env.str("ALTCHA_HMAC_SECRET", default=_development_key("altcha"))
)
ALTCHA_CHALLENGE = {"cost": env.int("ALTCHA_COST", default=5000)}
ALTCHA_WIDGET_I18N = True
# Only the widget's Thai strings (English is built in), not altcha's file of every language;
# named when a page is drawn, by its hashed name in production.
ALTCHA_WIDGET_I18N_JS_URL = lazy(static, str)("core/js/altcha-th.js")

# With Redis, sessions are read from the cache and written through to the database (every page
# reads its session; a database query costs more than a Redis read). Without it the cache is
# a database table, and the plain database engine is the cheaper.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Production is served over HTTPS (behind TLS or terminating it): redirect plain HTTP, send
# HSTS and mark cookies secure. `make run` (the sandbox on http://127.0.0.1) and tests say
# HTTPS=0 by being the sandbox or debug; a sandbox behind TLS sets HTTPS=1 (docs/decisions.md).
HTTPS = env.bool("HTTPS", default=not (DEBUG or SANDBOX or TESTING))
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # the load balancer's probe speaks plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63_072_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (Django's own middleware): scripts only from the portal's files, no
# inline script or event handler, no eval, no third-party origin. The one inline style is
# altcha's, which carries the page's nonce (<meta name="csp-nonce">); its proof of work runs
# in a blob: worker. On the authorization and logout pages form-action also allows the
# registered systems' origins (portal.core.middleware.FormActionMiddleware).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
CSRF_FAILURE_VIEW = "portal.core.views.csrf_failure"
# How many proxies in front of the portal append to X-Forwarded-For (0: clients connect
# directly). portal.core.network.client_ip reads the client's address from it for every limit,
# lockout and audit row; a wrong number lets clients choose their address, so it is explicit.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
# Behind a TLS-terminating load balancer (DESIGN: stateless web processes), trust its header
# for the scheme, so that absolute URLs (OIDC endpoints, redirects) say https.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "portal" / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# SVC-04: the support contacts, shown where the manuals show them (after the questions and
# answers, and at the end of the usage guide) and in the FAQ's contact answer. Defaults are
# the ones the i-Industry user manual and the TISI e-services manual print; an empty value
# hides that line. Phone numbers are written as the manuals write them, extensions apart.
SUPPORT_CONTACTS = {
    # i-Industry user manual, "สอบถามข้อมูลเพิ่มเติมได้ที่": LINE, phone, email.
    "i-industry": {
        "phone": env.str("SUPPORT_PHONE", default="0 2430 6976"),
        "extensions": env.list("SUPPORT_PHONE_EXTENSIONS", default=["3"]),
        "email": env.str("SUPPORT_EMAIL", default="service_ids@industry.go.th"),
        "line": env.str("SUPPORT_LINE_ID", default="@iindustry"),
    },
    # TISI e-services manual, "ติดต่อสอบถาม": the ICT centre, then the Standards Control Division.
    "tisi-ict": {
        "phone": env.str("TISI_SUPPORT_PHONE", default="0 2430 6834"),
        "extensions": env.list("TISI_SUPPORT_PHONE_EXTENSIONS", default=["2450", "2451"]),
        "email": env.str("TISI_SUPPORT_EMAIL", default="nsw@tisi.mail.go.th"),
        "line": "",
    },
    "tisi-standards-control": {
        "phone": env.str("TISI_STANDARDS_CONTROL_PHONE", default="0 2430 6821"),
        "extensions": env.list("TISI_STANDARDS_CONTROL_PHONE_EXTENSIONS", default=["1002", "1003"]),
        "email": "",
        "line": "",
    },
}

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
import fontpkg_sarabun  # noqa: E402  (the Sarabun TTFs ship in this package, OFL)

STATICFILES_DIRS = [("fonts", str(Path(fontpkg_sarabun.__file__).parent / "files"))]
STORAGES = {
    # Uploads live outside the web root and are served only through views that check rights.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
        },
    },
    # Production: collectstatic names each file by its content's hash (and rewrites the
    # stylesheets' url()s to those names) and writes Brotli and gzip copies beside it;
    # whitenoise serves the copy the browser accepts and marks hashed files immutable for a
    # year. Debug and tests serve the source files as they are.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Production serves only what collectstatic wrote (the hashed and compressed copies); reading
# the apps' folders as well would serve the uncompressed originals in their place.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request's body without its files: the longest form is a few kilobytes; 8,000,000 characters
# typed into a field are refused here (a 400 page) before any form reads them. Files are
# limited by their own checks (portal.core.uploads) and the proxy's body limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)
# A whole request, files included: one 15 MB document and its form, with room to spare.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=20 * 1024 * 1024)

# FAC-04: the check digit of the 14-digit factory number. The official scheme is not published;
# production leaves it off until it is, sandbox worlds use the national ID's mod-11 scheme.
FACTORY_NO_CHECK_DIGIT = env.str(
    "FACTORY_NO_CHECK_DIGIT",
    default="portal.operators.factory_numbers.mod11_check_digit" if SANDBOX else "",
)

# Outside world: the sandbox adapters are the default whenever SANDBOX=1.
# Procedure definitions (PRM-01): one YAML file a citizen manual, checked at start-up.
PROCEDURES_DIR = Path(env.str("PROCEDURES_DIR", default=str(BASE_DIR / "procedures")))
SANDBOX_WORLD = env.str("SANDBOX_WORLD", default=str(BASE_DIR / "var" / "world"))
REGISTRY_ADAPTER = env.str("REGISTRY_ADAPTER", default="sandbox" if SANDBOX or TESTING else "http")
DOPA_URL = env.str("DOPA_URL", default="")
DOPA_TOKEN = env.str("DOPA_TOKEN", default="")
DBD_URL = env.str("DBD_URL", default="")
DBD_TOKEN = env.str("DBD_TOKEN", default="")
RD_URL = env.str("RD_URL", default="")
RD_TOKEN = env.str("RD_TOKEN", default="")
DOAE_URL = env.str("DOAE_URL", default="")
DOAE_TOKEN = env.str("DOAE_TOKEN", default="")
DIW_URL = env.str("DIW_URL", default="")
DIW_TOKEN = env.str("DIW_TOKEN", default="")
REGISTRY_TIMEOUT_SECONDS = env.float("REGISTRY_TIMEOUT_SECONDS", default=5.0)
REGISTRY_RETRIES = env.int("REGISTRY_RETRIES", default=2)  # only for idempotent calls
REGISTRY_BACKOFF_SECONDS = env.float("REGISTRY_BACKOFF_SECONDS", default=0.2)
REGISTRY_BREAKER_FAIL_MAX = env.int("REGISTRY_BREAKER_FAIL_MAX", default=5)
REGISTRY_BREAKER_RESET_SECONDS = env.int("REGISTRY_BREAKER_RESET_SECONDS", default=30)
# Sandbox failure switches at start-up, e.g. "dopa:down,sms:slow" (also switchable at
# /sandbox/registries/); "slow" answers after SANDBOX_SLOW_SECONDS.
SANDBOX_FAILURES = env.str("SANDBOX_FAILURES", default="")
SANDBOX_SLOW_SECONDS = env.float("SANDBOX_SLOW_SECONDS", default=2.0)
MESSAGING_ADAPTER = env.str(
    "MESSAGING_ADAPTER", default="sandbox" if SANDBOX or TESTING else "http"
)
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
# ACC-12: the two sender names of the i-Industry manual. One-time passwords go out under them
# in turn (the manual: "2 names used alternately for OTP"), so that a resent code comes under
# the other name; every other SMS (decisions, notices) under the first.
SMS_SENDER_OTP = tuple(env.list("SMS_SENDER_OTP", default=["iIDS", "i-ind"]))
SMS_SENDER_NOTICE = env.str("SMS_SENDER_NOTICE", default="iIDS")
SMS_SENDER_NAMES = tuple(dict.fromkeys((SMS_SENDER_NOTICE, *SMS_SENDER_OTP)))

MAILERS = {
    "default": {
        "BACKEND": env.str(
            "EMAIL_BACKEND",
            default="portal.sandbox.mail.OutboxEmailBackend"
            if SANDBOX or TESTING
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {}
        if SANDBOX or TESTING
        else {
            "host": env.str("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="i-Industry <no-reply@industry.go.th>")

# Signed documents (portal.documents; docs/decisions.md, "Signed documents"). Production signs
# with the key and certificate of a PKCS#12 file; DOCUMENT_TRUST_ROOTS (PEM files) are the roots
# the verification page trusts (default: the self-signed certificates of the file's chain);
# DOCUMENT_TSA_URL adds an RFC 3161 timestamp (PAdES B-T). Without a PKCS#12 file, development,
# sandbox and tests make a sandbox CA and keys once in DOCUMENT_SANDBOX_KEYS_DIR, encrypted
# with a passphrase derived from SECRET_KEY; production without one cannot sign.
DOCUMENT_SIGNING_PKCS12 = env.str("DOCUMENT_SIGNING_PKCS12", default="")
DOCUMENT_SIGNING_PASSPHRASE = env.str("DOCUMENT_SIGNING_PASSPHRASE", default="")
DOCUMENT_TRUST_ROOTS = env.list("DOCUMENT_TRUST_ROOTS", default=[])
DOCUMENT_TSA_URL = env.str("DOCUMENT_TSA_URL", default="")
DOCUMENT_SANDBOX_KEYS = DEVELOPMENT_KEYS and not DOCUMENT_SIGNING_PKCS12
DOCUMENT_SANDBOX_KEYS_DIR = Path(
    env.str("DOCUMENT_SANDBOX_KEYS_DIR", default=str(BASE_DIR / "var" / "document-signing"))
)
DOCUMENT_SANDBOX_PASSPHRASE = _development_key("document-signing-sandbox")
# Checks of uploaded files on the public verification page, per network and hour.
DOCUMENT_VERIFY_UPLOADS_PER_HOUR = env.int("DOCUMENT_VERIFY_UPLOADS_PER_HOUR", default=30)

# Registration checks the civil registry, an oracle for personal data: limit it per network.
REGISTRATION_MAX_PER_IP_HOUR = env.int("REGISTRATION_MAX_PER_IP_HOUR", default=30)

# One-time passwords (ACC-12, SSO-03).
OTP_LIFETIME_SECONDS = env.int("OTP_LIFETIME_SECONDS", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_RESEND_COOLDOWN_SECONDS = env.int("OTP_RESEND_COOLDOWN_SECONDS", default=60)
OTP_MAX_SENDS_PER_HOUR = env.int("OTP_MAX_SENDS_PER_HOUR", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "portal.core.logging.RedactPersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        # httpx's own INFO line shows the whole URL, query string included; core.http_client
        # logs each call itself without it.
        "httpx": {"level": "WARNING"},
        # WeasyPrint reports each rendering step, fontTools each font subset, at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# OpenID Connect provider (SSO-01, SSO-06, SSO-07): django-oauth-toolkit.
# authlib 1.9 (the sample connected system's client) announces a move of its httpx client to
# another package at import, after putting its own "always show" filter first; the client
# works as documented, so the notice is silenced after authlib's filter.
import authlib.deprecate  # noqa: E402, F401

warnings.filterwarnings("ignore", message="The httpx module is deprecated")
from portal.identity import signing_keys  # noqa: E402

OIDC_KEY_DIR = Path(env.str("OIDC_KEY_DIR", default=str(BASE_DIR / "var" / "oidc-keys")))
_oidc_active_key, _oidc_retired_keys = signing_keys.load(
    OIDC_KEY_DIR, create=DEBUG or SANDBOX or TESTING
)
ID_TOKEN_LIFETIME_SECONDS = env.int("ID_TOKEN_LIFETIME_SECONDS", default=3600)
# Named so that migrations which point at these models resolve (DOT's swappable models).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth2_provider.DeviceGrant"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # Production names its public base URL, so that the issuer never depends on the Host the
    # request came with (an internal name, a proxy): empty in development and tests, where
    # the issuer is the address the portal was reached at.
    "OIDC_ISS_ENDPOINT": env.str("OIDC_ISSUER", default=""),
    "OIDC_RSA_PRIVATE_KEY": _oidc_active_key,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": _oidc_retired_keys,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # Off: it would revoke the member's tokens at every system. PortalLogoutView ends the
    # asking system's sign-in and the portal session's own (identity/oidc_views.py).
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False,
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    # RFC 9700: only the authorization code flow (no implicit or password grant), and the
    # authorization response names its issuer (RFC 9207) against mix-up attacks.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    # No access token in a query string, at any resource endpoint (userinfo: oidc_views.py).
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    # Access and refresh tokens at rest only as SHA-256 (token_checksum); `token` stays blank.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if (DEBUG or SANDBOX) else ["https"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("ACCESS_TOKEN_LIFETIME_SECONDS", default=900),
    "ID_TOKEN_EXPIRE_SECONDS": ID_TOKEN_LIFETIME_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("REFRESH_TOKEN_LIFETIME_SECONDS", default=8 * 3600),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "OAUTH2_VALIDATOR_CLASS": "portal.identity.oidc.PortalValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Name",
        "email": "Email address",
        "phone": "Mobile phone number",
        "pid": "National ID",
        "business": "The business chosen at hand-off",
        "factories": "The factories of that business",
    },
    "DEFAULT_SCOPES": ["openid"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post"],
    "CLIENT_SECRET_HASHER": "client_secret_sha256",
}
# Failed client authentications at the token endpoint per address in 10 minutes.
OIDC_CLIENT_AUTH_FAILURES_PER_WINDOW = env.int("OIDC_CLIENT_AUTH_FAILURES_PER_WINDOW", default=20)
OIDC_SUBJECT_KEY = _required_key(
    "OIDC_SUBJECT_KEY", env.str("OIDC_SUBJECT_KEY", default=_development_key("oidc-subject"))
)
# A hand-off (SVC-02) stays valid for the authorization it starts for this long.
HANDOFF_LIFETIME_SECONDS = env.int("HANDOFF_LIFETIME_SECONDS", default=600)
# Back-channel logout (SSO-07) delivery.
BACKCHANNEL_LOGOUT_TIMEOUT_SECONDS = env.float("BACKCHANNEL_LOGOUT_TIMEOUT_SECONDS", default=5.0)

# Login with ThaID (ACC-10), DOPA's digital-ID app: OpenID Connect, authorization code with
# client_secret_basic (and PKCE). The real ThaID is configured by its discovery URL and the
# client credentials DOPA issues; a relative discovery URL is resolved against the request's
# own host, which is how the sandbox provider (/sandbox/thaid/) works on any port. With no
# client ID the "Log in with ThaID" button is not shown. An empty variable takes the default.
THAID_DISCOVERY_URL = env.str("THAID_DISCOVERY_URL", default="") or (
    "/sandbox/thaid/.well-known/openid-configuration"
    if SANDBOX
    else "https://imauth.bora.dopa.go.th/.well-known/openid-configuration"
)
THAID_CLIENT_ID = env.str("THAID_CLIENT_ID", default="") or (
    "i-industry-sandbox" if SANDBOX else ""
)
THAID_CLIENT_SECRET = env.str("THAID_CLIENT_SECRET", default="") or (
    _derived_key("thaid-sandbox-client") if SANDBOX else ""
)
THAID_SCOPES = env.str("THAID_SCOPES", default="") or (
    "openid pid title given_name family_name name name_en birthdate"
)
# ACC-10: the QR code is valid for 1 minute; an answer after that needs a new press.
THAID_QR_LIFETIME_SECONDS = env.int("THAID_QR_LIFETIME_SECONDS", default=60)
# Empty: the callback URL is built from the request (it must be registered with DOPA).
THAID_REDIRECT_URI = env.str("THAID_REDIRECT_URI", default="")
THAID_TIMEOUT_SECONDS = env.float("THAID_TIMEOUT_SECONDS", default=5.0)
THAID_STARTS_PER_IP_HOUR = env.int("THAID_STARTS_PER_IP_HOUR", default=60)
# The sandbox provider's own RS256 key (not the portal's OIDC key), made on first use.
THAID_SANDBOX_KEY_FILE = env.str("THAID_SANDBOX_KEY_FILE", default="") or str(
    BASE_DIR / "var" / "sandbox-thaid-key.pem"
)

# Billing (BILL-01 to BILL-06; docs/decisions.md "Billing").
# The annual bill is issued about a month before its due date (BILL-02): each day's run bills
# the factories whose due date falls within this many days from that day.
BILL_ISSUE_DAYS_BEFORE_DUE = env.int("BILL_ISSUE_DAYS_BEFORE_DUE", default=30)
# BILL-04: how a started month of lateness counts: "whole" (the usual Thai rule, the default)
# or "ignored" (only whole months count). The Act does not say.
BILL_SURCHARGE_PART_MONTH = env.str("BILL_SURCHARGE_PART_MONTH", default="whole")
BILL_SURCHARGE_PERCENT_PER_MONTH = 5  # Factory Act B.E. 2535 s.43
# A bill re-issued with its surcharge must be paid the same day before this hour (Bangkok).
BILL_SURCHARGE_PAY_BEFORE_HOUR = 23
# BILL-03: places exempt from the licence and annual fees: province -> its exempt districts,
# or [] for the whole province (names as the DIW registry writes them, in Thai).
BILL_EXEMPT_AREAS = {
    "นราธิวาส": [],
    "ปัตตานี": [],
    "ยะลา": [],
    "สงขลา": ["จะนะ", "เทพา", "นาทวี", "สะบ้าย้อย"],
}
# BILL-03: factories inside an industrial estate under the IEAT Act pay no annual fee.
BILL_ANNUAL_FEE_EXEMPT_IN_INDUSTRIAL_ESTATE = True
# Factories of these DIW statuses owe the annual fee (a factory not started, closed or whose
# licence was revoked does not).
BILL_ANNUAL_FEE_STATUSES = ["operating", "temporarily_stopped"]
# Rows one transaction of the bill run writes: its progress is committed with each chunk.
BILL_RUN_CHUNK_SIZE = env.int("BILL_RUN_CHUNK_SIZE", default=2000)
# The illustrative annual fee table (labelled on every bill) is loaded only in the sandbox.
BILL_LOAD_ILLUSTRATIVE_FEE_TABLES = SANDBOX
# BILL-07: the biller ID of DIW's bill payment account (13-digit tax ID and the bank's 2-digit
# suffix) that the Thai QR code and the cross-bank barcode name. Production must set it: a
# made-up one would send members' money nowhere. Development uses a sandbox one.
BILL_PAYMENT_BILLER_ID = _required_key(
    "BILL_PAYMENT_BILLER_ID",
    env.str("BILL_PAYMENT_BILLER_ID", default="099400016325500" if DEVELOPMENT_KEYS else ""),
)
# How often the payment page asks whether the bill is paid (its script; seconds).
BILL_STATUS_POLL_SECONDS = 5

# Banks that collect bills (BILL-08; registries/bank.py, docs/decisions.md "Bank callbacks"):
# code -> {"adapter": "http" or a dotted path taking the code, "url", "token", "secret"}.
# Each production bank is named in BANK_CODES and configured by BANK_<CODE>_URL, _TOKEN and
# _SECRET (the HMAC key its callbacks are signed with). The sandbox bank is there whenever
# SANDBOX=1 (the tests run with it), its secret derived from SECRET_KEY.
BANKS: dict[str, dict[str, str]] = {
    code: {
        "adapter": "http",
        "url": env.str(f"BANK_{code.upper()}_URL", default=""),
        "token": env.str(f"BANK_{code.upper()}_TOKEN", default=""),
        "secret": env.str(f"BANK_{code.upper()}_SECRET", default=""),
    }
    for code in env.list("BANK_CODES", default=[])
}
if SANDBOX:
    BANKS["sandbox"] = {
        "adapter": "portal.sandbox.bank.SandboxBank",
        "secret": env.str("BANK_SANDBOX_SECRET", default="") or _derived_key("sandbox-bank"),
    }
# A callback signed longer ago (or later) than this is refused as a replay.
BANK_CALLBACK_WINDOW_SECONDS = env.int("BANK_CALLBACK_WINDOW_SECONDS", default=300)
# The sandbox bank's "delay" switch holds a callback this long before sending it.
SANDBOX_BANK_DELAY_SECONDS = env.int("SANDBOX_BANK_DELAY_SECONDS", default=120)
# Reconciliation of yesterday's statements, once a day (billing.services.statements_reconcile).
PERIODIC_JOBS["bank-reconciliation"] = ("manage:payments_reconcile", 86400)
if SANDBOX:
    # The sandbox bank's held ("delay") callbacks go out when their time comes.
    PERIODIC_JOBS["sandbox-bank-callbacks"] = ("portal.sandbox.bank.held_callbacks_send", 60)
