/* linli-kiosk.c
 *
 * LinliKiosk is what ui/ talks to: it holds the configuration, the session,
 * the list of service tiles and the devices, plus the presentation choices a
 * resident makes (language, text size, contrast, voice). Those choices belong
 * to the resident, so they return to the configured defaults when the session
 * ends: the next person finds the kiosk as the county set it up.
 */
#define G_LOG_DOMAIN "linli-kiosk"

#include "linli-kiosk.h"

#include "linli-catalog-tiles.h"
#include "linli-kiosk-private.h"
#include "linli-platform-link.h"
#include "linli-printer.h"
#include "linli-heartbeat-reporter.h"
#include "linli-maintenance-mode.h"

#include <glib/gi18n.h>
#include <libintl.h>
#include <stdlib.h>

#include "linli-device.h"
#include "linli-devices.h"
#include "linli-ga467-reader.h"
#include "linli-identity.h"
#include "linli-pcsc-reader.h"
#include "linli-spoken.h"
#include "linli-voice.h"

struct _LinliKiosk
{
  GObject parent_instance;

  LinliConfig *config;
  LinliSession *session;
  LinliCapture *capture; /* the camera screens' model */
  GListStore *services;  /* LinliServiceTile: the home screen's tiles */
  LinliCatalog *catalog; /* the platform's, or NULL: built-in tiles */
  GListModel *devices;
  LinliUsbInventory *usb_inventory; /* LinliUsbDeviceInfo, for the maintenance view */
  LinliVoice *voice;

  /* The resident of the running session, as their card says; dropped (and
   * so wiped) when the session ends. */
  LinliIdentity *identity;
  LinliPlatformLink *platform_link;
  LinliResident *resident;            /* the platform's record of the identity, or NULL */
  GCancellable *resident_cancellable; /* the look-up of the running session */
  LinliDevice *identity_reader;       /* where it was read */

  char *language;
  int text_size;
  gboolean high_contrast;
  gboolean voice_enabled;

  guint staff_calls;
  guint64 sessions_served;

  /* Maintenance: uptime, heartbeat. */
  gint64 started_us;
  LinliHeartbeatReporter *heartbeat;
  LinliMaintenanceMode *maintenance;

  LinliKioskStaff *staff; /* staff sign-in (linli-kiosk-staff.c) */
};

G_DEFINE_FINAL_TYPE (LinliKiosk, linli_kiosk, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LANGUAGE,
  PROP_TEXT_SIZE,
  PROP_HIGH_CONTRAST,
  PROP_VOICE_ENABLED,
  PROP_VOICE_AVAILABLE,
  PROP_VOLUME_STEP,
  PROP_HEADPHONES,
  PROP_IDENTITY,
  PROP_PLATFORM_AVAILABLE,
  PROP_RESIDENT_FOUND,
  PROP_STAFF_ID,
  N_PROPS
};

enum
{
  SIGNAL_STAFF_CALLED,
  SIGNAL_SPEECH_STARTED,
  SIGNAL_CARD_PROBLEM,
  SIGNAL_TAKE_CARD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * linli_i18n_apply_language:
 * @language: "zh_CN" or "en"
 *
 * Switches the gettext catalog of the whole process. GLib's gettext reads
 * LANGUAGE on every lookup once its cache is invalidated, which is what
 * glibc's _nl_msg_cat_cntr is for (the documented way to switch at run time).
 */
void
linli_i18n_apply_language (const char *language)
{
  extern int _nl_msg_cat_cntr;

  g_setenv ("LANGUAGE", language, TRUE);
  ++_nl_msg_cat_cntr;
}

/* Volume and rate go back to the county's settings for every resident
 * (Section 508 §1194.25(f): volume reset at the start of each use). */
static void
reset_voice (LinliKiosk *self)
{
  if (self->voice == NULL)
    return;
  linli_voice_stop (self->voice);
  linli_voice_set_rate (self->voice, linli_config_get_int (self->config, "voice", "rate"));
  linli_voice_reset_volume (self->voice);
}

static void linli_kiosk_set_identity (LinliKiosk *self,
                                      LinliIdentity *identity,
                                      LinliDevice *reader);

static void
reset_presentation (LinliKiosk *self)
{
  linli_kiosk_set_language (self, linli_config_get_string (self->config, "kiosk", "language"));
  linli_kiosk_set_text_size (self, linli_config_get_int (self->config, "display", "text-size"));
  linli_kiosk_set_high_contrast (
      self, linli_config_get_boolean (self->config, "display", "high-contrast"));
  linli_kiosk_set_voice_enabled (self, linli_config_get_boolean (self->config, "voice", "enabled"));
  reset_voice (self);
}

static void
on_session_ended (LinliSession *session, LinliSessionEndReason reason, gpointer user_data)
{
  LinliKiosk *self = user_data;
  GEnumClass *klass = g_type_class_ref (LINLI_TYPE_SESSION_END_REASON);
  gboolean card_left;

  self->sessions_served++;
  g_info ("session %" G_GUINT64_FORMAT " ended (%s)", linli_session_get_serial (session),
          g_enum_get_value (klass, (int) reason)->value_nick);
  g_type_class_unref (klass);
  g_info ("session %" G_GUINT64_FORMAT " left behind %u secrets and %u document pages",
          linli_session_get_serial (session), linli_session_count_secrets (session),
          linli_session_count_pages (session));
  card_left = linli_kiosk_get_card_inserted (self);
  linli_kiosk_set_identity (self, NULL, NULL);
  reset_presentation (self);
  /* Between visits: a changed catalog costs one request, an unchanged one
   * a 304. */
  linli_platform_link_refresh (self->platform_link);
  /* However the visit ended (finished, timed out), a social-security card
   * still in its slot must not be forgotten there. */
  if (card_left)
    g_signal_emit (self, signals[SIGNAL_TAKE_CARD], 0);
}

static void
linli_kiosk_dispose (GObject *object)
{
  LinliKiosk *self = LINLI_KIOSK (object);

  g_clear_object (&self->capture);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      linli_session_finish (self->session, LINLI_SESSION_END_SHUTDOWN);
    }
  g_clear_pointer (&self->staff, linli_kiosk_staff_free);
  g_clear_object (&self->session);
  if (self->voice != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->voice, self);
      linli_voice_stop (self->voice);
    }
  g_clear_object (&self->voice);
  linli_kiosk_set_identity (self, NULL, NULL);
  if (self->devices != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (self->devices); i++)
      {
        g_autoptr (LinliDevice) device = g_list_model_get_item (self->devices, i);
        g_signal_handlers_disconnect_by_data (device, self);
        if (LINLI_IS_GA467_READER (device))
          linli_ga467_reader_stop (LINLI_GA467_READER (device));
        else if (LINLI_IS_PCSC_READER (device))
          linli_pcsc_reader_stop (LINLI_PCSC_READER (device));
      }
  if (self->heartbeat != NULL)
    linli_heartbeat_reporter_stop (self->heartbeat);
  g_clear_object (&self->heartbeat);
  g_clear_object (&self->maintenance);
  if (self->platform_link != NULL)
    g_signal_handlers_disconnect_by_data (self->platform_link, self);
  g_clear_object (&self->platform_link);
  g_clear_object (&self->services);
  g_clear_pointer (&self->catalog, linli_catalog_unref);
  g_clear_object (&self->devices);
  g_clear_object (&self->usb_inventory); /* its dispose stops its worker */
  g_clear_object (&self->config);

  G_OBJECT_CLASS (linli_kiosk_parent_class)->dispose (object);
}

static void
linli_kiosk_finalize (GObject *object)
{
  LinliKiosk *self = LINLI_KIOSK (object);

  g_free (self->language);

  G_OBJECT_CLASS (linli_kiosk_parent_class)->finalize (object);
}

static void
linli_kiosk_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliKiosk *self = LINLI_KIOSK (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_TEXT_SIZE:
      g_value_set_int (value, self->text_size);
      break;
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    case PROP_VOICE_ENABLED:
      g_value_set_boolean (value, self->voice_enabled);
      break;
    case PROP_VOICE_AVAILABLE:
      g_value_set_boolean (value, linli_kiosk_get_voice_available (self));
      break;
    case PROP_VOLUME_STEP:
      g_value_set_int (value, linli_kiosk_get_volume_step (self));
      break;
    case PROP_HEADPHONES:
      g_value_set_boolean (value, linli_kiosk_get_headphones (self));
      break;
    case PROP_IDENTITY:
      g_value_set_boxed (value, self->identity);
      break;
    case PROP_PLATFORM_AVAILABLE:
      g_value_set_boolean (value, linli_kiosk_get_platform_available (self));
      break;
    case PROP_RESIDENT_FOUND:
      g_value_set_boolean (value, self->resident != NULL);
      break;
    case PROP_STAFF_ID:
      g_value_set_string (value, linli_kiosk_get_staff_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_kiosk_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliKiosk *self = LINLI_KIOSK (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      linli_kiosk_set_language (self, g_value_get_string (value));
      break;
    case PROP_TEXT_SIZE:
      linli_kiosk_set_text_size (self, g_value_get_int (value));
      break;
    case PROP_HIGH_CONTRAST:
      linli_kiosk_set_high_contrast (self, g_value_get_boolean (value));
      break;
    case PROP_VOICE_ENABLED:
      linli_kiosk_set_voice_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_kiosk_class_init (LinliKioskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_kiosk_dispose;
  object_class->finalize = linli_kiosk_finalize;
  object_class->get_property = linli_kiosk_get_property;
  object_class->set_property = linli_kiosk_set_property;

  properties[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, "zh_CN",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT_SIZE]
      = g_param_spec_int ("text-size", NULL, NULL, 1, 3, 1,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGH_CONTRAST]
      = g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOICE_ENABLED]
      = g_param_spec_boolean ("voice-enabled", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* FALSE while the voice device is in fault: the screens say so. */
  properties[PROP_VOICE_AVAILABLE] = g_param_spec_boolean (
      "voice-available", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME_STEP]
      = g_param_spec_int ("volume-step", NULL, NULL, 0, LINLI_VOICE_VOLUME_STEPS - 1, 0,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Private listening: speech goes to headphones, personal values too. */
  properties[PROP_HEADPHONES] = g_param_spec_boolean ("headphones", NULL, NULL, FALSE,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The identity of the running session, or NULL. */
  properties[PROP_IDENTITY] = g_param_spec_boxed ("identity", NULL, NULL, LINLI_TYPE_IDENTITY,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The county platform answers: its catalog's services can be used. */
  properties[PROP_PLATFORM_AVAILABLE] = g_param_spec_boolean (
      "platform-available", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The platform knows the session's resident (linli_kiosk_get_resident). */
  properties[PROP_RESIDENT_FOUND] = g_param_spec_boolean (
      "resident-found", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The signed-in staff number, or NULL (linli-kiosk-staff.c). */
  properties[PROP_STAFF_ID] = g_param_spec_string ("staff-id", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LinliKiosk::card-problem:
   * @message: what to tell the resident, in plain words
   *
   * A card was placed but cannot start a session: unreadable, expired, of
   * an unknown kind. The message is fit to show and speak.
   */
  signals[SIGNAL_CARD_PROBLEM]
      = g_signal_new ("card-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * LinliKiosk::take-card:
   *
   * A visit ended with the resident's social-security card still inserted.
   */
  signals[SIGNAL_TAKE_CARD] = g_signal_new ("take-card", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * LinliKiosk::staff-called:
   *
   * A resident asked for staff.
   */
  signals[SIGNAL_STAFF_CALLED]
      = g_signal_new ("staff-called", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);

  /**
   * LinliKiosk::speech-started:
   * @id: the utterance, as returned by linli_kiosk_speak()
   *
   * The first sound of an utterance reached the audio output.
   */
  signals[SIGNAL_SPEECH_STARTED]
      = g_signal_new ("speech-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
linli_kiosk_init (LinliKiosk *self)
{
  self->text_size = 1;
  self->voice_enabled = TRUE;
}

static void
on_voice_state (LinliKiosk *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICE_AVAILABLE]);
}

static void
on_voice_volume (LinliKiosk *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME_STEP]);
}

static void
on_voice_output (LinliKiosk *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADPHONES]);
}

static void
on_utterance_started (LinliKiosk *self, guint id)
{
  g_signal_emit (self, signals[SIGNAL_SPEECH_STARTED], 0, id);
}

static void
attach_voice (LinliKiosk *self)
{
  const char *headphones = linli_config_get_string (self->config, "voice", "headphones");

  for (guint i = 0; i < g_list_model_get_n_items (self->devices) && self->voice == NULL; i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (self->devices, i);
      if (LINLI_IS_VOICE (device))
        self->voice = g_object_ref (LINLI_VOICE (device));
    }
  if (self->voice == NULL)
    return;

  linli_voice_set_default_volume_step (self->voice,
                                       linli_config_get_int (self->config, "voice", "volume"));
  linli_voice_set_headphones (self->voice,
                              g_str_equal (headphones, "always")  ? LINLI_VOICE_HEADPHONES_ALWAYS
                              : g_str_equal (headphones, "never") ? LINLI_VOICE_HEADPHONES_NEVER
                                                                  : LINLI_VOICE_HEADPHONES_AUTO);
  g_signal_connect_swapped (self->voice, "notify::state", G_CALLBACK (on_voice_state), self);
  g_signal_connect_swapped (self->voice, "notify::volume-step", G_CALLBACK (on_voice_volume), self);
  g_signal_connect_swapped (self->voice, "notify::output", G_CALLBACK (on_voice_output), self);
  g_signal_connect_swapped (self->voice, "utterance-started", G_CALLBACK (on_utterance_started),
                            self);
}

static void
on_platform_catalog (LinliKiosk *self)
{
  linli_kiosk_set_catalog (self, linli_platform_link_get_catalog (self->platform_link));
}

static void
on_platform_state (LinliKiosk *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATFORM_AVAILABLE]);
}

/* One splice, so the home screen rebuilds once. */
static void
replace_tiles (LinliKiosk *self, GListModel *tiles)
{
  guint n = g_list_model_get_n_items (tiles);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (tiles, i));
  g_list_store_splice (self->services, 0, g_list_model_get_n_items (G_LIST_MODEL (self->services)),
                       items->pdata, items->len);
}

/**
 * linli_kiosk_new:
 * @config: (transfer none): the effective configuration
 */
LinliKiosk *
linli_kiosk_new (LinliConfig *config)
{
  LinliKiosk *self;

  g_return_val_if_fail (LINLI_IS_CONFIG (config), NULL);

  self = g_object_new (LINLI_TYPE_KIOSK, NULL);
  self->config = g_object_ref (config);
  self->session
      = linli_session_new ((guint) linli_config_get_int (config, "session", "inactivity-timeout"),
                           (guint) linli_config_get_int (config, "session", "warning-countdown"),
                           (guint) linli_config_get_int (config, "session", "more-time-factor"));
  g_signal_connect (self->session, "ended", G_CALLBACK (on_session_ended), self);
  self->services = g_list_store_new (LINLI_TYPE_SERVICE_TILE);
  {
    g_autoptr (GListModel) builtin = linli_service_tiles_load_default ();
    replace_tiles (self, builtin);
  }
  self->devices = linli_devices_new_from_config (config);
  self->usb_inventory = linli_devices_new_usb_inventory (config);
  self->capture = linli_capture_new (self->session, self->devices);
  {
    g_autoptr (GError) usb_error = NULL;

    /* Without libusb the roles are listed as absent, with the reason: a
     * finding for the maintenance view, not a reason to stop. */
    if (!linli_usb_inventory_start (self->usb_inventory, &usb_error))
      g_message ("%s", usb_error->message);
  }
  self->platform_link = linli_platform_link_new (config);
  g_signal_connect_swapped (self->platform_link, "notify::catalog",
                            G_CALLBACK (on_platform_catalog), self);
  g_signal_connect_swapped (self->platform_link, "notify::state", G_CALLBACK (on_platform_state),
                            self);
  attach_voice (self);
  reset_presentation (self);
  self->started_us = g_get_monotonic_time ();
  self->heartbeat = linli_heartbeat_reporter_new (self, linli_log_ring_get_default ());
  self->maintenance = linli_maintenance_mode_new (self);
  self->staff = linli_kiosk_staff_new (self);
  return self;
}

LinliConfig *
linli_kiosk_get_config (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->config;
}

LinliSession *
linli_kiosk_get_session (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->session;
}

/* Returns: (transfer none): a list of #LinliServiceTile */
GListModel *
linli_kiosk_get_services (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return G_LIST_MODEL (self->services);
}

/**
 * linli_kiosk_set_catalog:
 * @catalog: (nullable): the platform's catalog, or %NULL for the built-in
 *   tiles
 *
 * The home screen follows: its tiles become the catalog's categories.
 */
void
linli_kiosk_set_catalog (LinliKiosk *self, LinliCatalog *catalog)
{
  g_autoptr (GListModel) tiles = NULL;

  g_return_if_fail (LINLI_IS_KIOSK (self));

  if (catalog == self->catalog)
    return;
  g_clear_pointer (&self->catalog, linli_catalog_unref);
  if (catalog != NULL)
    self->catalog = linli_catalog_ref (catalog);
  tiles = catalog != NULL ? linli_catalog_tiles_for_home (catalog)
                          : linli_service_tiles_load_default ();
  replace_tiles (self, tiles);
}

/* Starts the outbox's deliveries and fetches the platform's catalog. */
void
linli_kiosk_start_platform (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));
  linli_platform_link_start (self->platform_link);
  linli_heartbeat_reporter_start (self->heartbeat);
}

/* Seconds since the kiosk started. */
guint64
linli_kiosk_get_uptime_seconds (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), 0);
  return (guint64) ((g_get_monotonic_time () - self->started_us) / G_USEC_PER_SEC);
}

/* Returns: (transfer none) */
LinliMaintenanceMode *
linli_kiosk_get_maintenance (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->maintenance;
}

/* Returns: (transfer none) */
LinliHeartbeatReporter *
linli_kiosk_get_heartbeat_reporter (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->heartbeat;
}

/* TRUE when the platform answered its last request: the screens can offer
 * its services. */
gboolean
linli_kiosk_get_platform_available (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return linli_platform_link_get_state (self->platform_link) == LINLI_PLATFORM_STATE_ONLINE;
}

/* Returns: (transfer none) */
LinliPlatformLink *
linli_kiosk_get_platform_link (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->platform_link;
}

/* Returns: (transfer none) (nullable): the catalog the tiles come from */
LinliCatalog *
linli_kiosk_get_catalog (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->catalog;
}

/**
 * linli_kiosk_get_category_items:
 *
 * Returns: (transfer full) (nullable): the catalog items of a home tile as
 *   #LinliServiceTile, or %NULL when the kiosk has no catalog
 */
GListModel *
linli_kiosk_get_category_items (LinliKiosk *self, const char *category)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  if (self->catalog == NULL)
    return NULL;
  return linli_catalog_tiles_for_category (self->catalog, category);
}

/**
 * linli_kiosk_find_tile:
 *
 * Returns: (transfer full) (nullable): the home tile or catalog item with
 *   this code
 */
LinliServiceTile *
linli_kiosk_find_tile (LinliKiosk *self, const char *code)
{
  GListModel *tiles;

  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);

  tiles = G_LIST_MODEL (self->services);
  for (guint i = 0; i < g_list_model_get_n_items (tiles); i++)
    {
      g_autoptr (LinliServiceTile) tile = g_list_model_get_item (tiles, i);
      if (g_strcmp0 (linli_service_tile_get_code (tile), code) == 0)
        return g_steal_pointer (&tile);
    }
  if (self->catalog != NULL)
    {
      LinliCatalogItem *item = linli_catalog_lookup_item (self->catalog, code);

      if (item != NULL && item->enabled)
        {
          g_autoptr (GListModel) items
              = linli_catalog_tiles_for_category (self->catalog, item->category);

          for (guint i = 0; i < g_list_model_get_n_items (items); i++)
            {
              g_autoptr (LinliServiceTile) tile = g_list_model_get_item (items, i);
              if (g_strcmp0 (linli_service_tile_get_code (tile), code) == 0)
                return g_steal_pointer (&tile);
            }
        }
    }
  return NULL;
}

/* Returns: (transfer none): a list of #LinliDevice */
GListModel *
linli_kiosk_get_devices (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->devices;
}

/* Returns: (transfer none): the USB inventory, a list of #LinliUsbDeviceInfo */
GListModel *
linli_kiosk_get_usb_inventory (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return G_LIST_MODEL (self->usb_inventory);
}

const char *
linli_kiosk_get_language (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->language;
}

void
linli_kiosk_set_language (LinliKiosk *self, const char *language)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));
  g_return_if_fail (language != NULL);

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  linli_i18n_apply_language (language);
  if (self->voice != NULL)
    linli_voice_set_language (self->voice, language);
  if (self->platform_link != NULL)
    linli_platform_link_set_language (self->platform_link, language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

int
linli_kiosk_get_text_size (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), 1);
  return self->text_size;
}

void
linli_kiosk_set_text_size (LinliKiosk *self, int text_size)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  text_size = CLAMP (text_size, 1, 3);
  if (self->text_size == text_size)
    return;
  self->text_size = text_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_SIZE]);
}

gboolean
linli_kiosk_get_high_contrast (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return self->high_contrast;
}

void
linli_kiosk_set_high_contrast (LinliKiosk *self, gboolean high_contrast)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;
  self->high_contrast = high_contrast;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGH_CONTRAST]);
}

gboolean
linli_kiosk_get_voice_enabled (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return self->voice_enabled;
}

void
linli_kiosk_set_voice_enabled (LinliKiosk *self, gboolean voice_enabled)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  voice_enabled = !!voice_enabled;
  if (self->voice_enabled == voice_enabled)
    return;
  self->voice_enabled = voice_enabled;
  if (!voice_enabled && self->voice != NULL)
    linli_voice_stop (self->voice);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOICE_ENABLED]);
}

/* The resident touched "start" on the attract screen (later: placed a card). */
void
linli_kiosk_start_session (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  if (linli_session_begin (self->session))
    {
      g_info ("session %" G_GUINT64_FORMAT " began", linli_session_get_serial (self->session));
      reset_voice (self);
    }
}

void
linli_kiosk_finish_session (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));
  linli_session_finish (self->session, LINLI_SESSION_END_FINISHED);
}

void
linli_kiosk_user_activity (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));
  linli_session_activity (self->session);
  linli_maintenance_mode_note_activity (self->maintenance);
}

void
linli_kiosk_more_time (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));
  linli_session_request_more_time (self->session);
}

/* Records the request; the platform relay arrives with the platform client
 * (issue 5). The screen tells the resident where staff can be found. */
void
linli_kiosk_call_staff (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  self->staff_calls++;
  g_info ("staff call requested (%u since start)", self->staff_calls);
  g_signal_emit (self, signals[SIGNAL_STAFF_CALLED], 0);
}

guint
linli_kiosk_get_staff_calls (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), 0);
  return self->staff_calls;
}

guint64
linli_kiosk_get_sessions_served (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), 0);
  return self->sessions_served;
}

static void
on_device_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!linli_device_probe_finish (LINLI_DEVICE (source), result, &error))
    g_warning ("probing %s failed: %s", linli_device_get_name (LINLI_DEVICE (source)),
               error->message);
}

/* Asks every device for its state, in the background. */
void
linli_kiosk_refresh_devices (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  for (guint i = 0; i < g_list_model_get_n_items (self->devices); i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (self->devices, i);
      linli_device_probe_async (device, NULL, on_device_probed, NULL);
    }
  /* The voice engine starts now, so the first screen is not the one that
   * waits for it. */
  if (self->voice != NULL)
    linli_voice_start (self->voice);
}

gboolean
linli_kiosk_get_voice_available (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return self->voice != NULL
         && linli_device_get_state (LINLI_DEVICE (self->voice)) != LINLI_DEVICE_STATE_FAULT
         && linli_device_get_state (LINLI_DEVICE (self->voice)) != LINLI_DEVICE_STATE_ABSENT;
}

int
linli_kiosk_get_volume_step (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), 0);
  return self->voice != NULL ? linli_voice_get_volume_step (self->voice) : 0;
}

/* One button (and one key) steps through the volumes: louder each time,
 * then back to the quietest, the way kiosk volume buttons usually work. */
void
linli_kiosk_cycle_volume (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  if (self->voice == NULL)
    return;
  linli_voice_set_volume_step (self->voice, (linli_voice_get_volume_step (self->voice) + 1)
                                                % LINLI_VOICE_VOLUME_STEPS);
}

gboolean
linli_kiosk_get_headphones (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return self->voice != NULL
         && linli_voice_get_output (self->voice) == LINLI_VOICE_OUTPUT_HEADPHONES;
}

/**
 * linli_kiosk_speak:
 *
 * Speaks @text unless the resident turned voice off or there is no voice.
 * Returns: the utterance id, 0 when nothing is spoken
 */
guint
linli_kiosk_speak (LinliKiosk *self, const char *text, LinliVoicePriority priority)
{
  g_autofree char *speakable = NULL;
  guint skipped = 0;

  g_return_val_if_fail (LINLI_IS_KIOSK (self), 0);

  if (text == NULL || !self->voice_enabled || !linli_kiosk_get_voice_available (self))
    return 0;
  /* Names from cards may hold characters no voice can say (rare Han
   * characters, emoji): they are left out, and only their count is logged. */
  speakable = linli_spoken_sanitize (text, &skipped);
  if (skipped > 0)
    g_message ("left out %u characters the voice cannot say", skipped);
  if (*speakable == '\0')
    return 0;
  return linli_voice_speak (self->voice, speakable, priority);
}

/* Personal values (a name, a PIN) are spoken only into headphones; on the
 * loudspeaker the resident hears @public_text instead. */
guint
linli_kiosk_speak_private (LinliKiosk *self,
                           const char *private_text,
                           const char *public_text,
                           LinliVoicePriority priority)
{
  g_autofree char *private_speakable = NULL;
  g_autofree char *public_speakable = NULL;

  g_return_val_if_fail (LINLI_IS_KIOSK (self), 0);

  if (!self->voice_enabled || !linli_kiosk_get_voice_available (self))
    return 0;
  private_speakable = private_text != NULL ? linli_spoken_sanitize (private_text, NULL) : NULL;
  public_speakable = public_text != NULL ? linli_spoken_sanitize (public_text, NULL) : NULL;
  return linli_voice_speak_private (self->voice, private_speakable, public_speakable, priority);
}

void
linli_kiosk_stop_speaking (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  if (self->voice != NULL)
    linli_voice_stop (self->voice);
}

static void
on_resident (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliKiosk) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliResident) resident
      = linli_platform_link_lookup_resident_finish (LINLI_PLATFORM_LINK (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (resident == NULL)
    {
      /* The code only: the message may name what the platform knows. */
      g_info ("resident look-up failed: %s",
              error->domain == LINLI_PLATFORM_ERROR && linli_platform_error_get_code (error) != NULL
                  ? linli_platform_error_get_code (error)
                  : "no answer");
      return;
    }
  g_clear_pointer (&self->resident, linli_resident_unref);
  self->resident = g_steal_pointer (&resident);
  g_info ("resident found on the platform (age band %s)",
          linli_age_band_to_string (self->resident->age_band));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIDENT_FOUND]);
}

/* Takes a reference to @identity (NULL drops the one held, which wipes it
 * once nobody else holds it). */
static void
linli_kiosk_set_identity (LinliKiosk *self, LinliIdentity *identity, LinliDevice *reader)
{
  if (self->identity == identity)
    return;
  g_cancellable_cancel (self->resident_cancellable);
  g_clear_object (&self->resident_cancellable);
  if (self->resident != NULL)
    {
      g_clear_pointer (&self->resident, linli_resident_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIDENT_FOUND]);
    }
  g_clear_pointer (&self->identity, linli_identity_unref);
  self->identity = identity != NULL ? linli_identity_ref (identity) : NULL;
  self->identity_reader = identity != NULL ? reader : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
  if (identity != NULL && linli_platform_link_get_platform (self->platform_link) != NULL)
    {
      self->resident_cancellable = g_cancellable_new ();
      linli_platform_link_lookup_resident_async (self->platform_link, identity,
                                                 self->resident_cancellable, on_resident,
                                                 g_object_ref (self));
    }
}

/* Returns: (transfer none) (nullable): the platform's record of the
 * session's resident, once the look-up has answered */
LinliResident *
linli_kiosk_get_resident (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->resident;
}

/* Returns: (transfer none) (nullable): the resident of the running session */
LinliIdentity *
linli_kiosk_get_identity (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->identity;
}

static void
on_card_read (LinliDevice *reader, LinliIdentity *identity, LinliKiosk *self)
{
  LinliSessionState state = linli_session_get_state (self->session);

  /* In maintenance mode a card never starts a session: the card test
   * sees its type and masked number only. */
  if (linli_maintenance_mode_get_active (self->maintenance))
    {
      g_autofree char *masked = linli_identity_dup_masked_id_number (identity);

      linli_maintenance_mode_take_card (
          self->maintenance, linli_card_type_to_string (linli_identity_get_card_type (identity)),
          masked);
      return;
    }
  /* A card placed while someone is being served belongs to that visit
   * only if the visit has no identity yet (started without a card). */
  if (self->identity != NULL)
    {
      g_info ("a card was read during a session that already has one; ignored");
      return;
    }
  if (linli_identity_is_expired (identity, NULL))
    {
      g_signal_emit (self, signals[SIGNAL_CARD_PROBLEM], 0,
                     _ ("This card has expired. Please use a valid card, or ask staff for help."));
      return;
    }
  if (linli_identity_get_card_type (identity) != LINLI_CARD_TYPE_SOCIAL_SECURITY
      && !linli_identity_get_id_number_valid (identity))
    {
      g_signal_emit (self, signals[SIGNAL_CARD_PROBLEM], 0,
                     _ ("The number on this card cannot be checked. Please ask staff for help."));
      return;
    }
  g_info ("card read (%s) on %s",
          linli_card_type_to_string (linli_identity_get_card_type (identity)),
          linli_device_get_name (reader));
  linli_heartbeat_reporter_count_identification (self->heartbeat);
  if (state == LINLI_SESSION_STATE_IDLE)
    linli_kiosk_start_session (self);
  else
    linli_kiosk_user_activity (self);
  linli_kiosk_set_identity (self, identity, reader);
}

static void
on_card_failed (LinliDevice *reader, GError *error, LinliKiosk *self)
{
  /* The error is for maintainers (and carries no personal data); the
   * resident hears what to do. */
  g_message ("card on %s could not be read: %s", linli_device_get_name (reader), error->message);
  g_signal_emit (self, signals[SIGNAL_CARD_PROBLEM], 0,
                 g_error_matches (error, LINLI_IDENTITY_ERROR, LINLI_IDENTITY_ERROR_UNKNOWN_CARD)
                     ? _ ("This kind of card cannot be used here. Please use your ID card or "
                          "social security card.")
                     : _ ("The card could not be read. Please take it away, place it again and "
                          "hold it still."));
}

/* An inserted card (social security, PC/SC) belongs to its session: taking
 * it out ends the visit. An ID card is only placed for a moment, so lifting
 * it means nothing. */
static void
on_card_removed (LinliDevice *reader, LinliKiosk *self)
{
  if (self->identity != NULL && self->identity_reader == reader && LINLI_IS_PCSC_READER (reader))
    {
      /* Taken out: nothing left to remind the resident of. */
      self->identity_reader = NULL;
      linli_session_finish (self->session, LINLI_SESSION_END_FINISHED);
    }
}

/* Starts watching every card reader; the application calls it once. */
void
linli_kiosk_start_readers (LinliKiosk *self)
{
  g_return_if_fail (LINLI_IS_KIOSK (self));

  for (guint i = 0; i < g_list_model_get_n_items (self->devices); i++)
    {
      g_autoptr (LinliDevice) device = g_list_model_get_item (self->devices, i);

      if (!LINLI_IS_GA467_READER (device) && !LINLI_IS_PCSC_READER (device))
        continue;
      g_signal_connect (device, "card-read", G_CALLBACK (on_card_read), self);
      g_signal_connect (device, "card-failed", G_CALLBACK (on_card_failed), self);
      g_signal_connect (device, "card-removed", G_CALLBACK (on_card_removed), self);
      if (LINLI_IS_GA467_READER (device))
        linli_ga467_reader_start (LINLI_GA467_READER (device));
      else
        linli_pcsc_reader_start (LINLI_PCSC_READER (device));
    }
}

/* Whether a card is still in a reader that holds it (a social-security
 * card in its slot): the resident must be reminded to take it. */
gboolean
linli_kiosk_get_card_inserted (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), FALSE);
  return self->identity != NULL && LINLI_IS_PCSC_READER (self->identity_reader);
}

/* Returns: (transfer none) */
LinliKioskStaff *
linli_kiosk_get_staff (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->staff;
}

/* Returns: (transfer none): the model of the capture screens */
LinliCapture *
linli_kiosk_get_capture (LinliKiosk *self)
{
  g_return_val_if_fail (LINLI_IS_KIOSK (self), NULL);
  return self->capture;
}
