/* linli-device.c
 *
 * A device is a GObject with a kind, a name, and a state (absent, ready,
 * busy, fault) plus a detail line for maintainers. State changes are always
 * made on the main context, so the UI and the heartbeat can bind to them;
 * probing runs on a worker because device libraries block.
 */
#define G_LOG_DOMAIN "linli-device"

#include "linli-device-private.h"

typedef struct
{
  LinliDeviceKind kind;
  char *name;
  LinliDeviceState state;
  char *detail;
} LinliDevicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LinliDevice, linli_device, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_NAME,
  PROP_STATE,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
linli_device_state_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_DEVICE_STATE_ABSENT, "LINLI_DEVICE_STATE_ABSENT", "absent" },
    { LINLI_DEVICE_STATE_READY, "LINLI_DEVICE_STATE_READY", "ready" },
    { LINLI_DEVICE_STATE_BUSY, "LINLI_DEVICE_STATE_BUSY", "busy" },
    { LINLI_DEVICE_STATE_FAULT, "LINLI_DEVICE_STATE_FAULT", "fault" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliDeviceState", values));
  return type_id;
}

GType
linli_device_kind_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_DEVICE_KIND_ID_READER, "LINLI_DEVICE_KIND_ID_READER", "id-reader" },
    { LINLI_DEVICE_KIND_CARD_READER, "LINLI_DEVICE_KIND_CARD_READER", "card-reader" },
    { LINLI_DEVICE_KIND_PRINTER, "LINLI_DEVICE_KIND_PRINTER", "printer" },
    { LINLI_DEVICE_KIND_CAMERA, "LINLI_DEVICE_KIND_CAMERA", "camera" },
    { LINLI_DEVICE_KIND_VOICE, "LINLI_DEVICE_KIND_VOICE", "voice" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliDeviceKind", values));
  return type_id;
}

static const char *
enum_nick (GType type, int value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);
  const char *nick = found != NULL ? found->value_nick : "invalid";

  g_type_class_unref (klass);
  return nick;
}

const char *
linli_device_state_to_string (LinliDeviceState state)
{
  return enum_nick (LINLI_TYPE_DEVICE_STATE, (int) state);
}

const char *
linli_device_kind_to_string (LinliDeviceKind kind)
{
  return enum_nick (LINLI_TYPE_DEVICE_KIND, (int) kind);
}

static void
linli_device_finalize (GObject *object)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (LINLI_DEVICE (object));

  g_free (priv->name);
  g_free (priv->detail);

  G_OBJECT_CLASS (linli_device_parent_class)->finalize (object);
}

static void
linli_device_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (LINLI_DEVICE (object));

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, priv->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, priv->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_device_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (LINLI_DEVICE (object));

  switch (prop_id)
    {
    case PROP_KIND:
      priv->kind = g_value_get_enum (value);
      break;
    case PROP_NAME:
      g_free (priv->name);
      priv->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_device_class_init (LinliDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = linli_device_finalize;
  object_class->get_property = linli_device_get_property;
  object_class->set_property = linli_device_set_property;

  properties[PROP_KIND]
      = g_param_spec_enum ("kind", NULL, NULL, LINLI_TYPE_DEVICE_KIND, LINLI_DEVICE_KIND_ID_READER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE]
      = g_param_spec_enum ("state", NULL, NULL, LINLI_TYPE_DEVICE_STATE, LINLI_DEVICE_STATE_ABSENT,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL]
      = g_param_spec_string ("detail", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_device_init (LinliDevice *self)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (self);

  priv->state = LINLI_DEVICE_STATE_ABSENT;
  priv->detail = g_strdup ("not probed yet");
}

LinliDeviceKind
linli_device_get_kind (LinliDevice *self)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (self);

  g_return_val_if_fail (LINLI_IS_DEVICE (self), LINLI_DEVICE_KIND_ID_READER);
  return priv->kind;
}

const char *
linli_device_get_name (LinliDevice *self)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (self);

  g_return_val_if_fail (LINLI_IS_DEVICE (self), NULL);
  return priv->name;
}

LinliDeviceState
linli_device_get_state (LinliDevice *self)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (self);

  g_return_val_if_fail (LINLI_IS_DEVICE (self), LINLI_DEVICE_STATE_ABSENT);
  return priv->state;
}

const char *
linli_device_get_detail (LinliDevice *self)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (self);

  g_return_val_if_fail (LINLI_IS_DEVICE (self), NULL);
  return priv->detail;
}

/* For implementations; call on the main context only. */
void
linli_device_set_state (LinliDevice *self, LinliDeviceState state, const char *detail)
{
  LinliDevicePrivate *priv = linli_device_get_instance_private (self);

  g_return_if_fail (LINLI_IS_DEVICE (self));

  if (g_strcmp0 (priv->detail, detail) != 0)
    {
      g_free (priv->detail);
      priv->detail = g_strdup (detail);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
    }
  if (priv->state != state)
    {
      priv->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

typedef struct
{
  LinliDeviceState state;
  char *detail;
} ProbeResult;

static void
probe_result_free (ProbeResult *result)
{
  g_free (result->detail);
  g_free (result);
}

static void
probe_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LinliDevice *self = source_object;
  ProbeResult *result = g_new0 (ProbeResult, 1);

  result->state = LINLI_DEVICE_GET_CLASS (self)->probe (self, &result->detail, cancellable);
  g_task_return_pointer (task, result, (GDestroyNotify) probe_result_free);
}

/**
 * linli_device_probe_async:
 *
 * Asks the device's library what state the device is in, on a worker
 * thread; the state and detail properties change on the caller's context
 * before @callback runs.
 */
void
linli_device_probe_async (LinliDevice *self,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LINLI_IS_DEVICE (self));
  g_return_if_fail (LINLI_DEVICE_GET_CLASS (self)->probe != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, linli_device_probe_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, probe_thread);
}

gboolean
linli_device_probe_finish (LinliDevice *self, GAsyncResult *result, GError **error)
{
  ProbeResult *found;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;
  linli_device_set_state (self, found->state, found->detail);
  probe_result_free (found);
  return TRUE;
}
