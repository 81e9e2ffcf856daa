/* linli-camera.c
 *
 * The document camera is whatever GStreamer source description the
 * configuration names ("v4l2src device=/dev/video0" in production,
 * "videotestsrc" or a still image in tests and the demo). So far only the
 * presence probe: the source is started up to PAUSED into a fakesink and
 * stopped again. Preview and capture grow from here.
 */
#define G_LOG_DOMAIN "linli-camera"

#include "linli-camera.h"

#include <gst/gst.h>

#include "linli-device-private.h"

struct _LinliCamera
{
  LinliDevice parent_instance;

  char *source; /* a gst-launch description of the source part */
};

G_DEFINE_FINAL_TYPE (LinliCamera, linli_camera, LINLI_TYPE_DEVICE)

enum
{
  PROP_0,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A camera that has not prerolled by then is reported as faulty rather
 * than keeping the maintenance view waiting. */
#define PROBE_TIMEOUT (3 * GST_SECOND)

#define PROBE_SINK_NAME "linli-probe-sink"

static gpointer
init_gstreamer (gpointer data)
{
  GError *error = NULL;

  /* The error, if any, is kept for the life of the process: every later
   * probe reports the same. */
  if (!gst_init_check (NULL, NULL, &error))
    return error;
  return NULL;
}

/* Wakes the bus wait below when the probe is cancelled. */
static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GstBus *bus = user_data;

  gst_bus_post (
      bus, gst_message_new_application (NULL, gst_structure_new_empty ("linli-probe-cancelled")));
}

/* "video/x-raw 320x240", or NULL when a live source has not negotiated yet. */
static char *
describe_caps (GstElement *pipeline)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), PROBE_SINK_NAME);
  g_autoptr (GstPad) pad = NULL;
  g_autoptr (GstCaps) caps = NULL;
  const GstStructure *structure;
  int width = 0;
  int height = 0;

  if (sink == NULL)
    return NULL;
  pad = gst_element_get_static_pad (sink, "sink");
  caps = pad != NULL ? gst_pad_get_current_caps (pad) : NULL;
  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return NULL;

  structure = gst_caps_get_structure (caps, 0);
  if (gst_structure_get_int (structure, "width", &width)
      && gst_structure_get_int (structure, "height", &height))
    return g_strdup_printf ("%s %dx%d", gst_structure_get_name (structure), width, height);
  return g_strdup (gst_structure_get_name (structure));
}

/* Whether a frame reached the probe's sink. */
static gboolean
has_frame (GstElement *pipeline)
{
  g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), PROBE_SINK_NAME);
  g_autoptr (GstSample) sample = NULL;

  if (sink == NULL)
    return FALSE;
  g_object_get (sink, "last-sample", &sample, NULL);
  return sample != NULL;
}

static LinliDeviceState
state_from_error (GstMessage *message, char **detail)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &error, &debug);
  *detail = g_strdup (error->message);

  /* v4l2src reports a missing /dev/videoN as NOT_FOUND, one that cannot be
   * opened (unplugged while listed) as OPEN_READ(_WRITE). */
  if (error->domain == GST_RESOURCE_ERROR
      && (error->code == GST_RESOURCE_ERROR_NOT_FOUND || error->code == GST_RESOURCE_ERROR_OPEN_READ
          || error->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE))
    return LINLI_DEVICE_STATE_ABSENT;
  return LINLI_DEVICE_STATE_FAULT;
}

/* The pipeline reached PAUSED: a frame, or end-of-stream, is in the sink. */
static LinliDeviceState
state_when_prerolled (GstElement *pipeline, char **detail)
{
  g_autofree char *caps = NULL;

  /* A sink also prerolls on end-of-stream: a source that ends without one
   * frame (a decoder fed garbage) is no camera. */
  if (!has_frame (pipeline))
    {
      *detail = g_strdup ("ended without producing a frame");
      return LINLI_DEVICE_STATE_FAULT;
    }
  caps = describe_caps (pipeline);
  *detail = caps != NULL ? g_strdup_printf ("started, %s", caps) : g_strdup ("started");
  return LINLI_DEVICE_STATE_READY;
}

/* Waits for the pipeline to preroll, fail, time out or be cancelled. */
static LinliDeviceState
wait_for_preroll (GstElement *pipeline, GstBus *bus, char **detail)
{
  GstClockTime deadline = g_get_monotonic_time () * GST_USECOND + PROBE_TIMEOUT;

  for (;;)
    {
      GstClockTime now = g_get_monotonic_time () * GST_USECOND;
      g_autoptr (GstMessage) message = NULL;

      if (now < deadline)
        message = gst_bus_timed_pop_filtered (bus, deadline - now,
                                              GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE
                                                  | GST_MESSAGE_APPLICATION);
      if (message == NULL)
        {
          *detail
              = g_strdup_printf ("did not start within %u s", (guint) (PROBE_TIMEOUT / GST_SECOND));
          return LINLI_DEVICE_STATE_FAULT;
        }

      switch (GST_MESSAGE_TYPE (message))
        {
        case GST_MESSAGE_ERROR:
          return state_from_error (message, detail);

        case GST_MESSAGE_ASYNC_DONE:
          return state_when_prerolled (pipeline, detail);

        case GST_MESSAGE_APPLICATION:
          if (gst_message_has_name (message, "linli-probe-cancelled"))
            {
              /* linli_device_probe_finish() reports the cancellation. */
              *detail = g_strdup ("probe cancelled");
              return LINLI_DEVICE_STATE_FAULT;
            }
          break;

        default:
          break;
        }
    }
}

static LinliDeviceState
linli_camera_probe (LinliDevice *device, char **detail, GCancellable *cancellable)
{
  static GOnce gst_once = G_ONCE_INIT;
  LinliCamera *self = LINLI_CAMERA (device);
  const GError *init_error;
  g_autofree char *description = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  gulong cancel_id = 0;
  LinliDeviceState result;

  init_error = g_once (&gst_once, init_gstreamer, NULL);
  if (init_error != NULL)
    {
      *detail = g_strdup_printf ("GStreamer: %s", init_error->message);
      return LINLI_DEVICE_STATE_FAULT;
    }

  /* FATAL_ERRORS: a missing element must fail, not leave a half pipeline. */
  description = g_strdup_printf ("%s ! fakesink name=" PROBE_SINK_NAME, self->source);
  pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (pipeline == NULL || error != NULL)
    {
      *detail = g_strdup_printf ("bad camera-source: %s",
                                 error != NULL ? error->message : "no pipeline");
      return LINLI_DEVICE_STATE_FAULT;
    }
  /* The description's top-level bin comes back floating: own it. */
  if (g_object_is_floating (pipeline))
    gst_object_ref_sink (pipeline);

  bus = gst_element_get_bus (pipeline);
  if (bus == NULL)
    {
      *detail = g_strdup ("bad camera-source: not a pipeline");
      return LINLI_DEVICE_STATE_FAULT;
    }

  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), gst_object_ref (bus),
                                       gst_object_unref);

  switch (gst_element_set_state (pipeline, GST_STATE_PAUSED))
    {
    case GST_STATE_CHANGE_FAILURE:
      /* The element posted its error before set_state() returned. */
      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (message != NULL)
        result = state_from_error (message, detail);
      else
        {
          *detail = g_strdup ("could not be started");
          result = LINLI_DEVICE_STATE_FAULT;
        }
      break;

    case GST_STATE_CHANGE_NO_PREROLL:
      /* A live source (a real camera) is open once in PAUSED; it only
       * produces frames in PLAYING, which the probe does not need. */
      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (message != NULL)
        result = state_from_error (message, detail);
      else
        {
          *detail = g_strdup ("live source opened");
          result = LINLI_DEVICE_STATE_READY;
        }
      break;

    case GST_STATE_CHANGE_SUCCESS:
      result = state_when_prerolled (pipeline, detail);
      break;

    case GST_STATE_CHANGE_ASYNC:
    default:
      result = wait_for_preroll (pipeline, bus, detail);
      break;
    }

  g_cancellable_disconnect (cancellable, cancel_id);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return result;
}

static void
linli_camera_finalize (GObject *object)
{
  LinliCamera *self = LINLI_CAMERA (object);

  g_free (self->source);

  G_OBJECT_CLASS (linli_camera_parent_class)->finalize (object);
}

static void
linli_camera_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliCamera *self = LINLI_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_camera_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LinliCamera *self = LINLI_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_free (self->source);
      self->source = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_camera_class_init (LinliCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LinliDeviceClass *device_class = LINLI_DEVICE_CLASS (klass);

  object_class->finalize = linli_camera_finalize;
  object_class->get_property = linli_camera_get_property;
  object_class->set_property = linli_camera_set_property;
  device_class->probe = linli_camera_probe;

  /* The source part of a gst-launch description, e.g.
   * "v4l2src device=/dev/video0"; the kiosk adds the sinks. */
  properties[PROP_SOURCE]
      = g_param_spec_string ("source", NULL, NULL, "",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_camera_init (LinliCamera *self)
{
  self->source = g_strdup ("");
}

/**
 * linli_camera_new:
 * @source: a GStreamer source description, e.g. "v4l2src device=/dev/video0"
 *
 * Returns: (transfer full): a camera device
 */
LinliDevice *
linli_camera_new (const char *source)
{
  return g_object_new (LINLI_TYPE_CAMERA, "kind", LINLI_DEVICE_KIND_CAMERA, "name", "Camera",
                       "source", source, NULL);
}

const char *
linli_camera_get_source (LinliCamera *self)
{
  g_return_val_if_fail (LINLI_IS_CAMERA (self), NULL);
  return self->source;
}
