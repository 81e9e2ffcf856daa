/* linli-sim-server.h — linli-platform-sim's HTTPS listener (the contract,
 * mutual TLS) and its plain-HTTP control listener (faults, statistics)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "linli-sim-ops.h"

G_BEGIN_DECLS

#define LINLI_SIM_SERVER_ERROR (linli_sim_server_error_quark ())
GQuark linli_sim_server_error_quark (void);

typedef enum
{
  LINLI_SIM_SERVER_ERROR_CONFIG, /* certificates or options that cannot work */
} LinliSimServerError;

typedef struct
{
  const char *listen;    /* address of both listeners; NULL: 127.0.0.1 */
  guint port;            /* 0: any free port */
  gboolean control;      /* start the control listener */
  guint control_port;    /* 0: any free port */
  const char *cert;      /* server certificate (PEM) */
  const char *key;       /* its key */
  const char *client_ca; /* the kiosk CA */
  const char *db_path;
  gboolean seed;
  const char *const *register_kiosks; /* more kiosk ids to register; may be NULL */
  gsize max_upload;                   /* request bodies above are 413 */
  LinliSimSettings settings;
} LinliSimConfig;

#define LINLI_TYPE_SIM_SERVER (linli_sim_server_get_type ())
G_DECLARE_FINAL_TYPE (LinliSimServer, linli_sim_server, LINLI, SIM_SERVER, GObject)

/* Opens (and seeds) the database and loads the certificates. */
LinliSimServer *linli_sim_server_new (const LinliSimConfig *config, GError **error);
/* Starts listening; the ports are known afterwards. */
gboolean linli_sim_server_listen (LinliSimServer *self, GError **error);
guint linli_sim_server_get_port (LinliSimServer *self);
/* 0 when there is no control listener. */
guint linli_sim_server_get_control_port (LinliSimServer *self);

G_END_DECLS
