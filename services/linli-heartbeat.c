/* linli-heartbeat.c — the kiosk's heartbeat and the platform's answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-heartbeat.h"

#include <string.h>

#include "linli-platform-error-private.h"

static const char *const device_kind_names[] = {
  "id_reader", "card_reader", "printer", "camera", "voice", NULL,
};
static const char *const device_state_names[] = { "absent", "ready", "busy", "fault", NULL };
static const char *const paper_names[] = { "ok", "low", "out", "unknown", NULL };

#define MAX_DEVICES 20

typedef struct
{
  char *kind;
  char *name;
  char *state;
  char *detail;
} HeartbeatDevice;

struct _LinliHeartbeat
{
  char *kiosk_id;
  char *version;
  GDateTime *sent_at;
  guint64 uptime_s;
  char *catalog_etag;
  GPtrArray *devices;
  char *paper;
  guint64 outbox_depth;
  GDateTime *outbox_oldest_at;
  LinliHeartbeatCounters counters;
};

static void
device_free (gpointer data)
{
  HeartbeatDevice *device = data;

  g_free (device->kind);
  g_free (device->name);
  g_free (device->state);
  g_free (device->detail);
  g_free (device);
}

LinliHeartbeat *
linli_heartbeat_new (const char *kiosk_id,
                     const char *version,
                     GDateTime *sent_at,
                     guint64 uptime_s)
{
  LinliHeartbeat *self = g_new0 (LinliHeartbeat, 1);

  self->kiosk_id = g_strdup (kiosk_id);
  self->version = g_strdup (version);
  self->sent_at = sent_at != NULL ? g_date_time_ref (sent_at) : g_date_time_new_now_local ();
  self->uptime_s = uptime_s;
  self->devices = g_ptr_array_new_with_free_func (device_free);
  self->paper = g_strdup ("unknown");
  return self;
}

void
linli_heartbeat_free (LinliHeartbeat *self)
{
  if (self == NULL)
    return;
  g_free (self->kiosk_id);
  g_free (self->version);
  g_clear_pointer (&self->sent_at, g_date_time_unref);
  g_free (self->catalog_etag);
  g_ptr_array_unref (self->devices);
  g_free (self->paper);
  g_clear_pointer (&self->outbox_oldest_at, g_date_time_unref);
  g_free (self);
}

void
linli_heartbeat_set_catalog_etag (LinliHeartbeat *self, const char *etag)
{
  g_return_if_fail (self != NULL);
  g_free (self->catalog_etag);
  self->catalog_etag = g_strdup (etag);
}

void
linli_heartbeat_add_device (
    LinliHeartbeat *self, const char *kind, const char *name, const char *state, const char *detail)
{
  HeartbeatDevice *device;

  g_return_if_fail (self != NULL);
  device = g_new0 (HeartbeatDevice, 1);
  device->kind = g_strdup (kind);
  device->name = g_strdup (name);
  device->state = g_strdup (state);
  device->detail = g_strdup (detail);
  g_ptr_array_add (self->devices, device);
}

void
linli_heartbeat_set_paper (LinliHeartbeat *self, const char *paper)
{
  g_return_if_fail (self != NULL);
  g_free (self->paper);
  self->paper = g_strdup (paper);
}

void
linli_heartbeat_set_outbox (LinliHeartbeat *self, guint64 depth, GDateTime *oldest_at)
{
  g_return_if_fail (self != NULL);
  self->outbox_depth = depth;
  g_clear_pointer (&self->outbox_oldest_at, g_date_time_unref);
  if (oldest_at != NULL)
    self->outbox_oldest_at = g_date_time_ref (oldest_at);
}

void
linli_heartbeat_set_counters (LinliHeartbeat *self, const LinliHeartbeatCounters *counters)
{
  g_return_if_fail (self != NULL && counters != NULL);
  self->counters = *counters;
}

static gboolean
plain_text (const char *text, glong max_chars)
{
  if (text == NULL || text[0] == '\0' || !g_utf8_validate (text, -1, NULL)
      || g_utf8_strlen (text, -1) > max_chars)
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
add_counter (JsonBuilder *builder, const char *name, guint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) MIN (value, (guint64) G_MAXINT64));
}

GBytes *
linli_platform_encode_heartbeat (LinliHeartbeat *self, char **content_type, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *sent_at = NULL;
  gsize length;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);
  if (!linli_check_kiosk_id (self->kiosk_id))
    return linli_platform_set_rejected (error, "heartbeat: not a kiosk id"), NULL;
  if (!plain_text (self->version, 64))
    return linli_platform_set_rejected (error, "heartbeat: no version"), NULL;
  if (linli_json_enum_from_string (paper_names, self->paper) < 0)
    return linli_platform_set_rejected (error, "heartbeat: paper is not a contract value"), NULL;
  if (self->catalog_etag != NULL && !plain_text (self->catalog_etag, 256))
    return linli_platform_set_rejected (error, "heartbeat: catalog ETag"), NULL;
  if (self->devices->len > MAX_DEVICES)
    return linli_platform_set_rejected (error, "heartbeat: more than 20 devices"), NULL;
  for (guint i = 0; i < self->devices->len; i++)
    {
      HeartbeatDevice *device = self->devices->pdata[i];

      if (linli_json_enum_from_string (device_kind_names, device->kind) < 0
          || linli_json_enum_from_string (device_state_names, device->state) < 0
          || !plain_text (device->name, 64)
          || (device->detail != NULL && !plain_text (device->detail, 200)))
        return linli_platform_set_rejected (error, "heartbeat: a device breaks the contract"), NULL;
    }

  sent_at = linli_json_format_datetime (self->sent_at);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kiosk_id");
  json_builder_add_string_value (builder, self->kiosk_id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, self->version);
  json_builder_set_member_name (builder, "sent_at");
  json_builder_add_string_value (builder, sent_at);
  json_builder_set_member_name (builder, "uptime_s");
  json_builder_add_int_value (builder, (gint64) MIN (self->uptime_s, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "catalog_etag");
  if (self->catalog_etag != NULL)
    json_builder_add_string_value (builder, self->catalog_etag);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->devices->len; i++)
    {
      HeartbeatDevice *device = self->devices->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, device->kind);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, device->name);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, device->state);
      json_builder_set_member_name (builder, "detail");
      if (device->detail != NULL)
        json_builder_add_string_value (builder, device->detail);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "paper");
  json_builder_add_string_value (builder, self->paper);
  json_builder_set_member_name (builder, "outbox");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "depth");
  json_builder_add_int_value (builder, (gint64) MIN (self->outbox_depth, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "oldest_at");
  if (self->outbox_oldest_at != NULL)
    {
      g_autofree char *oldest = linli_json_format_datetime (self->outbox_oldest_at);

      json_builder_add_string_value (builder, oldest);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "counters");
  json_builder_begin_object (builder);
  add_counter (builder, "sessions", self->counters.sessions);
  add_counter (builder, "identifications", self->counters.identifications);
  add_counter (builder, "payments_created", self->counters.payments_created);
  add_counter (builder, "payments_paid", self->counters.payments_paid);
  add_counter (builder, "applications_submitted", self->counters.applications_submitted);
  add_counter (builder, "certifications_submitted", self->counters.certifications_submitted);
  add_counter (builder, "evaluations_submitted", self->counters.evaluations_submitted);
  add_counter (builder, "receipts_printed", self->counters.receipts_printed);
  add_counter (builder, "errors", self->counters.errors);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  if (content_type != NULL)
    *content_type = g_strdup ("application/json");
  return g_bytes_new_take (text, length);
}

/* ---- HeartbeatAck ------------------------------------------------------------ */

static void
maintenance_free (LinliMaintenance *maintenance)
{
  g_clear_pointer (&maintenance->from, g_date_time_unref);
  g_clear_pointer (&maintenance->until, g_date_time_unref);
  linli_localized_text_free (maintenance->message);
  g_free (maintenance);
}

static void
ack_clear (gpointer data)
{
  LinliHeartbeatAck *self = data;

  g_clear_pointer (&self->server_time, g_date_time_unref);
  g_free (self->catalog_etag);
  g_clear_pointer (&self->maintenance, maintenance_free);
}

LINLI_DEFINE_MODEL (LinliHeartbeatAck, linli_heartbeat_ack, ack_clear)

static gboolean
check_etag (const char *text)
{
  gsize length = strlen (text);

  /* Printable ASCII: it goes back into an If-None-Match header. */
  if (length < 1 || length > 256)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (text[i] < 0x20 || text[i] > 0x7e)
      return FALSE;
  return TRUE;
}

LinliHeartbeatAck *
linli_heartbeat_ack_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (LinliHeartbeatAck) self = g_atomic_rc_box_new0 (LinliHeartbeatAck);
  JsonObject *object, *maintenance = NULL;

  if (!linli_json_check_object (node, NULL, &object, error)
      || !linli_json_get_datetime (object, NULL, "server_time", LINLI_JSON_REQUIRED,
                                   &self->server_time, error)
      || !linli_json_get_checked (object, NULL, "catalog_etag", LINLI_JSON_REQUIRED, check_etag,
                                  "an ETag", &self->catalog_etag, error)
      || !linli_json_get_object (object, NULL, "maintenance", LINLI_JSON_NULLABLE, &maintenance,
                                 error))
    return NULL;
  if (maintenance != NULL)
    {
      self->maintenance = g_new0 (LinliMaintenance, 1);
      if (!linli_json_get_datetime (maintenance, "maintenance", "from", LINLI_JSON_REQUIRED,
                                    &self->maintenance->from, error)
          || !linli_json_get_datetime (maintenance, "maintenance", "until", LINLI_JSON_REQUIRED,
                                       &self->maintenance->until, error)
          || !linli_json_get_text (maintenance, "maintenance", "message",
                                   LINLI_JSON_REQUIRED | LINLI_JSON_MULTILINE, LINLI_JSON_MAX_TEXT,
                                   &self->maintenance->message, error))
        return NULL;
      if (g_date_time_compare (self->maintenance->until, self->maintenance->from) <= 0)
        return linli_json_set_invalid (error, "maintenance", "until", "not after from"), NULL;
    }
  return g_steal_pointer (&self);
}
