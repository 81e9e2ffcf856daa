/* linli-platform-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the platform client, the outbox and the catalog cache from the
 * configuration and keeps the kiosk's view of the platform: which catalog
 * the home screen shows and whether the platform answers. A kiosk without
 * a platform, or whose certificates are missing, still starts: it offers
 * the built-in tiles and says plainly what cannot be done.
 */
#define G_LOG_DOMAIN "linli-platform-link"

#include "linli-platform-link.h"

#include "linli-catalog-cache.h"

struct _LinliPlatformLink
{
  GObject parent_instance;

  LinliPlatformState state;
  char *detail;
  LinliPlatform *platform;
  LinliCatalogCache *cache;
  LinliOutbox *outbox;
  LinliCatalog *catalog;
  GCancellable *cancellable;
  gboolean refreshing;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_CATALOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LinliPlatformLink, linli_platform_link, G_TYPE_OBJECT)

const char *
linli_platform_state_to_string (LinliPlatformState state)
{
  switch (state)
    {
    case LINLI_PLATFORM_STATE_UNCONFIGURED:
      return "unconfigured";
    case LINLI_PLATFORM_STATE_CONNECTING:
      return "connecting";
    case LINLI_PLATFORM_STATE_ONLINE:
      return "online";
    case LINLI_PLATFORM_STATE_OFFLINE:
      return "offline";
    case LINLI_PLATFORM_STATE_FAULT:
      return "fault";
    default:
      return "unknown";
    }
}

static void
set_state (LinliPlatformLink *self, LinliPlatformState state, const char *detail)
{
  gboolean changed = self->state != state || g_strcmp0 (self->detail, detail) != 0;

  g_free (self->detail);
  self->detail = g_strdup (detail);
  if (!changed)
    return;
  if (state != self->state)
    g_message ("county platform: %s%s%s", linli_platform_state_to_string (state),
               detail != NULL ? ": " : "", detail != NULL ? detail : "");
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
linli_platform_link_dispose (GObject *object)
{
  LinliPlatformLink *self = LINLI_PLATFORM_LINK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->outbox != NULL)
    linli_outbox_stop (self->outbox);
  g_clear_object (&self->outbox);
  g_clear_object (&self->platform);
  g_clear_object (&self->cache);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->catalog, linli_catalog_unref);
  G_OBJECT_CLASS (linli_platform_link_parent_class)->dispose (object);
}

static void
linli_platform_link_finalize (GObject *object)
{
  LinliPlatformLink *self = LINLI_PLATFORM_LINK (object);

  g_free (self->detail);
  G_OBJECT_CLASS (linli_platform_link_parent_class)->finalize (object);
}

static void
linli_platform_link_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliPlatformLink *self = LINLI_PLATFORM_LINK (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_CATALOG:
      g_value_set_boxed (value, self->catalog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_platform_link_class_init (LinliPlatformLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_platform_link_dispose;
  object_class->finalize = linli_platform_link_finalize;
  object_class->get_property = linli_platform_link_get_property;

  properties[PROP_STATE] = g_param_spec_int (
      "state", NULL, NULL, LINLI_PLATFORM_STATE_UNCONFIGURED, LINLI_PLATFORM_STATE_FAULT,
      LINLI_PLATFORM_STATE_UNCONFIGURED, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATALOG] = g_param_spec_boxed ("catalog", NULL, NULL, LINLI_TYPE_CATALOG,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_platform_link_init (LinliPlatformLink *self)
{
  self->cancellable = g_cancellable_new ();
}

LinliPlatformLink *
linli_platform_link_new (LinliConfig *config)
{
  g_autoptr (LinliPlatformLink) self = g_object_new (LINLI_TYPE_PLATFORM_LINK, NULL);
  const char *url = linli_config_get_string (config, "platform", "url");
  g_autoptr (GError) error = NULL;

  if (url == NULL || *url == '\0')
    return g_steal_pointer (&self);

  self->platform = linli_platform_new (url, linli_config_get_string (config, "kiosk", "id"),
                                       linli_config_get_string (config, "platform", "ca"),
                                       linli_config_get_string (config, "platform", "cert"),
                                       linli_config_get_string (config, "platform", "key"), &error);
  if (self->platform == NULL)
    {
      set_state (self, LINLI_PLATFORM_STATE_FAULT, error->message);
      return g_steal_pointer (&self);
    }
  linli_platform_set_language (self->platform,
                               linli_config_get_string (config, "kiosk", "language"));
  self->cache = linli_catalog_cache_new (linli_config_get_string (config, "platform", "cache-dir"));
  linli_platform_set_catalog_cache (self->platform, self->cache);

  /* Without its outbox the kiosk must not take submissions (they could be
   * lost); look-ups and the catalog still work. */
  self->outbox = linli_outbox_open (linli_config_get_string (config, "platform", "outbox"), &error);
  if (self->outbox == NULL)
    {
      set_state (self, LINLI_PLATFORM_STATE_FAULT, error->message);
      return g_steal_pointer (&self);
    }
  set_state (self, LINLI_PLATFORM_STATE_CONNECTING, NULL);
  return g_steal_pointer (&self);
}

LinliPlatformState
linli_platform_link_get_state (LinliPlatformLink *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM_LINK (self), LINLI_PLATFORM_STATE_FAULT);
  return self->state;
}

const char *
linli_platform_link_get_detail (LinliPlatformLink *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM_LINK (self), NULL);
  return self->detail;
}

/* Returns: (transfer none) (nullable) */
LinliPlatform *
linli_platform_link_get_platform (LinliPlatformLink *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM_LINK (self), NULL);
  return self->platform;
}

/* Returns: (transfer none) (nullable) */
LinliOutbox *
linli_platform_link_get_outbox (LinliPlatformLink *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM_LINK (self), NULL);
  return self->outbox;
}

/* Returns: (transfer none) (nullable) */
LinliCatalog *
linli_platform_link_get_catalog (LinliPlatformLink *self)
{
  g_return_val_if_fail (LINLI_IS_PLATFORM_LINK (self), NULL);
  return self->catalog;
}

static void
on_catalog (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliPlatformLink) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean stale = FALSE;
  g_autoptr (LinliCatalog) catalog
      = linli_platform_get_catalog_finish (LINLI_PLATFORM (source), result, &stale, &error);

  self->refreshing = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (catalog != NULL && catalog != self->catalog)
    {
      g_clear_pointer (&self->catalog, linli_catalog_unref);
      self->catalog = linli_catalog_ref (catalog);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATALOG]);
    }

  if (catalog != NULL && !stale)
    set_state (self, LINLI_PLATFORM_STATE_ONLINE, NULL);
  else if (error != NULL && error->domain == LINLI_PLATFORM_ERROR
           && error->code == LINLI_PLATFORM_ERROR_UNAUTHORIZED)
    set_state (self, LINLI_PLATFORM_STATE_FAULT, "the platform refuses this kiosk's certificate");
  else if (error != NULL && error->domain == LINLI_PLATFORM_ERROR
           && error->code == LINLI_PLATFORM_ERROR_TLS)
    set_state (self, LINLI_PLATFORM_STATE_OFFLINE,
               "the server's certificate is not from the pinned platform CA");
  else
    set_state (self, LINLI_PLATFORM_STATE_OFFLINE,
               stale ? "platform unreachable: showing the cached catalog"
                     : "platform unreachable and no cached catalog");
}

void
linli_platform_link_refresh (LinliPlatformLink *self)
{
  g_return_if_fail (LINLI_IS_PLATFORM_LINK (self));

  if (self->platform == NULL || self->refreshing)
    return;
  self->refreshing = TRUE;
  linli_platform_get_catalog_async (self->platform, self->cancellable, on_catalog,
                                    g_object_ref (self));
}

void
linli_platform_link_start (LinliPlatformLink *self)
{
  g_return_if_fail (LINLI_IS_PLATFORM_LINK (self));

  if (self->outbox != NULL && self->platform != NULL && !linli_outbox_is_started (self->outbox))
    linli_outbox_start (self->outbox, self->platform);
  linli_platform_link_refresh (self);
}

void
linli_platform_link_set_language (LinliPlatformLink *self, const char *language)
{
  g_return_if_fail (LINLI_IS_PLATFORM_LINK (self));
  if (self->platform != NULL)
    linli_platform_set_language (self->platform, language);
}

static void
on_lookup (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  LinliResident *resident
      = linli_platform_lookup_resident_finish (LINLI_PLATFORM (source), result, &error);

  if (resident == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, resident, (GDestroyNotify) linli_resident_unref);
}

/* The card's number goes to the platform in a request body only; the
 * answer names the resident by an opaque reference and a masked name. */
void
linli_platform_link_lookup_resident_async (LinliPlatformLink *self,
                                           LinliIdentity *identity,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *valid_to;
  gboolean social = linli_identity_get_card_type (identity) == LINLI_CARD_TYPE_SOCIAL_SECURITY;

  g_task_set_source_tag (task, linli_platform_link_lookup_resident_async);
  if (self->platform == NULL)
    {
      g_task_return_new_error (task, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_UNREACHABLE,
                               "no county platform is configured");
      return;
    }
  valid_to = linli_identity_get_valid_to (identity);
  /* The contract wants a date: "long-term" cards send none. */
  if (valid_to != NULL && !g_ascii_isdigit (valid_to[0]))
    valid_to = NULL;
  linli_platform_lookup_resident_async (
      self->platform, linli_identity_get_id_number (identity),
      social ? LINLI_LOOKUP_SOURCE_SOCIAL_SECURITY_CARD : LINLI_LOOKUP_SOURCE_ID_CARD, valid_to,
      NULL, cancellable, on_lookup, g_steal_pointer (&task));
}

LinliResident *
linli_platform_link_lookup_resident_finish (LinliPlatformLink *self,
                                            GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
