/* linli-sim-faults.c — fault switches: what the next requests suffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-faults.h"

#include <string.h>

struct _LinliSimFaults
{
  GObject parent_instance;
  char *base_path;
  GPtrArray *faults; /* LinliSimFault, in the order they were added */
  guint next_id;
};

G_DEFINE_TYPE (LinliSimFaults, linli_sim_faults, G_TYPE_OBJECT)

GQuark
linli_sim_faults_error_quark (void)
{
  return g_quark_from_static_string ("linli-sim-faults-error-quark");
}

static const char *const kind_names[] = {
  [LINLI_SIM_FAULT_LATENCY] = "latency",
  [LINLI_SIM_FAULT_STATUS] = "status",
  [LINLI_SIM_FAULT_DROP_REQUEST] = "drop-request",
  [LINLI_SIM_FAULT_DROP_RESPONSE] = "drop-response",
  [LINLI_SIM_FAULT_MALFORMED_JSON] = "malformed-json",
  [LINLI_SIM_FAULT_OVERSIZED] = "oversized",
};

const char *
linli_sim_fault_kind_to_string (LinliSimFaultKind kind)
{
  return kind_names[kind];
}

LinliSimFault *
linli_sim_fault_copy (const LinliSimFault *fault)
{
  LinliSimFault *copy = g_memdup2 (fault, sizeof *fault);

  copy->path = g_strdup (fault->path);
  copy->method = g_strdup (fault->method);
  copy->code = g_strdup (fault->code);
  return copy;
}

void
linli_sim_fault_free (LinliSimFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->path);
  g_free (fault->method);
  g_free (fault->code);
  g_free (fault);
}

LinliSimFaults *
linli_sim_faults_new (const char *base_path)
{
  LinliSimFaults *self = g_object_new (LINLI_TYPE_SIM_FAULTS, NULL);

  self->base_path = g_strdup (base_path);
  return self;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, LINLI_SIM_FAULTS_ERROR, LINLI_SIM_FAULTS_ERROR_INVALID, message);
  return FALSE;
}

/* An integer member, or FALLBACK when absent; FALSE when of another type. */
static gboolean
int_member (JsonObject *object, const char *name, gint64 fallback, gint64 *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *value = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
string_member (JsonObject *object, const char *name, char **value)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
linli_sim_faults_add_json (LinliSimFaults *self, GBytes *json, guint *id, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (LinliSimFault) fault = g_new0 (LinliSimFault, 1);
  g_autofree char *kind = NULL;
  JsonObject *object;
  gint64 count, status, latency, retry_after;
  gboolean known = FALSE;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (json, NULL),
                                   (gssize) g_bytes_get_size (json), error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, "a fault is a JSON object");
  object = json_node_get_object (json_parser_get_root (parser));
  if (!string_member (object, "kind", &kind) || kind == NULL)
    return invalid (error, "kind is required");
  for (gsize i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind, kind_names[i]))
      {
        fault->kind = (LinliSimFaultKind) i;
        known = TRUE;
      }
  if (!known)
    return invalid (error, "unknown kind (latency, status, drop-request, drop-response, "
                           "malformed-json, oversized)");
  if (!string_member (object, "path", &fault->path)
      || !string_member (object, "method", &fault->method)
      || !string_member (object, "code", &fault->code))
    return invalid (error, "path, method and code are strings");
  if (!int_member (object, "count", 1, &count) || count == 0 || count < -1)
    return invalid (error, "count is a positive integer or -1");
  if (!int_member (object, "status", 503, &status) || status < 100 || status > 599)
    return invalid (error, "status is an HTTP status");
  if (!int_member (object, "latency_ms", 2000, &latency) || latency < 0 || latency > 600000)
    return invalid (error, "latency_ms is 0 to 600000");
  if (!int_member (object, "retry_after", -1, &retry_after) || retry_after < -1)
    return invalid (error, "retry_after is a number of seconds");
  /* A path relative to the API's base names the same thing. */
  if (fault->path != NULL && !g_str_has_prefix (fault->path, self->base_path))
    {
      char *full = g_strconcat (self->base_path, fault->path, NULL);

      g_free (fault->path);
      fault->path = full;
    }
  if (fault->method != NULL)
    {
      char *upper = g_ascii_strup (fault->method, -1);

      g_free (fault->method);
      fault->method = upper;
    }
  fault->count = (int) count;
  fault->status = (guint) status;
  fault->latency_ms = fault->kind == LINLI_SIM_FAULT_LATENCY ? (guint) latency : 0;
  fault->retry_after = (int) retry_after;
  fault->id = ++self->next_id;
  *id = fault->id;
  g_message ("fault %u added: %s on %s %s, count %d", fault->id, kind,
             fault->method ? fault->method : "*", fault->path ? fault->path : "*", fault->count);
  g_ptr_array_add (self->faults, g_steal_pointer (&fault));
  return TRUE;
}

void
linli_sim_faults_clear (LinliSimFaults *self)
{
  g_ptr_array_set_size (self->faults, 0);
}

JsonNode *
linli_sim_faults_to_json (LinliSimFaults *self)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < self->faults->len; i++)
    {
      LinliSimFault *fault = g_ptr_array_index (self->faults, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "id", fault->id);
      json_object_set_string_member (object, "kind", kind_names[fault->kind]);
      json_object_set_string_member (object, "path", fault->path);
      json_object_set_string_member (object, "method", fault->method);
      json_object_set_int_member (object, "count", fault->count);
      if (fault->kind == LINLI_SIM_FAULT_STATUS)
        json_object_set_int_member (object, "status", fault->status);
      if (fault->kind == LINLI_SIM_FAULT_LATENCY)
        json_object_set_int_member (object, "latency_ms", fault->latency_ms);
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}

static gboolean
matches (const LinliSimFault *fault, const char *method, const char *path)
{
  if (fault->method != NULL && g_strcmp0 (fault->method, method) != 0)
    return FALSE;
  return fault->path == NULL || g_str_has_prefix (path, fault->path);
}

void
linli_sim_faults_match (LinliSimFaults *self,
                        const char *method,
                        const char *path,
                        guint *latency_ms,
                        LinliSimFault **action)
{
  *latency_ms = 0;
  *action = NULL;
  for (guint i = 0; i < self->faults->len;)
    {
      LinliSimFault *fault = g_ptr_array_index (self->faults, i);
      gboolean used = FALSE;

      if (matches (fault, method, path))
        {
          if (fault->kind == LINLI_SIM_FAULT_LATENCY)
            {
              *latency_ms += fault->latency_ms;
              used = TRUE;
            }
          else if (*action == NULL)
            {
              *action = linli_sim_fault_copy (fault);
              used = TRUE;
            }
        }
      if (used && fault->count > 0 && --fault->count == 0)
        {
          g_ptr_array_remove_index (self->faults, i);
          continue;
        }
      i++;
    }
}

static void
linli_sim_faults_finalize (GObject *object)
{
  LinliSimFaults *self = LINLI_SIM_FAULTS (object);

  g_ptr_array_unref (self->faults);
  g_free (self->base_path);
  G_OBJECT_CLASS (linli_sim_faults_parent_class)->finalize (object);
}

static void
linli_sim_faults_class_init (LinliSimFaultsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_sim_faults_finalize;
}

static void
linli_sim_faults_init (LinliSimFaults *self)
{
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_sim_fault_free);
}
