/* linli-sim-faults.h — the fault switches of the simulator's control port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LINLI_SIM_FAULTS_ERROR (linli_sim_faults_error_quark ())
GQuark linli_sim_faults_error_quark (void);

typedef enum
{
  LINLI_SIM_FAULTS_ERROR_INVALID, /* a fault description the simulator does not understand */
} LinliSimFaultsError;

typedef enum
{
  LINLI_SIM_FAULT_LATENCY,        /* answer latency_ms later */
  LINLI_SIM_FAULT_STATUS,         /* answer `status` at once, no effect */
  LINLI_SIM_FAULT_DROP_REQUEST,   /* close the connection, no answer, no effect */
  LINLI_SIM_FAULT_DROP_RESPONSE,  /* apply the effect, then close mid-answer */
  LINLI_SIM_FAULT_MALFORMED_JSON, /* the effect, then a broken JSON body */
  LINLI_SIM_FAULT_OVERSIZED,      /* the effect, then a body over 4 MiB */
} LinliSimFaultKind;

typedef struct
{
  guint id;
  LinliSimFaultKind kind;
  char *path;   /* prefix of the request path; NULL: every path */
  char *method; /* NULL: every method */
  int count;    /* requests left; -1: until cleared */
  guint status;
  guint latency_ms;
  int retry_after; /* -1: none */
  char *code;      /* the Error code of a status fault; NULL: from the status */
} LinliSimFault;

LinliSimFault *linli_sim_fault_copy (const LinliSimFault *fault);
void linli_sim_fault_free (LinliSimFault *fault);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliSimFault, linli_sim_fault_free)

#define LINLI_TYPE_SIM_FAULTS (linli_sim_faults_get_type ())
G_DECLARE_FINAL_TYPE (LinliSimFaults, linli_sim_faults, LINLI, SIM_FAULTS, GObject)

LinliSimFaults *linli_sim_faults_new (const char *base_path);

/* Adds the fault that JSON describes ({"kind": …}); its id in *ID. */
gboolean linli_sim_faults_add_json (LinliSimFaults *self, GBytes *json, guint *id, GError **error);
void linli_sim_faults_clear (LinliSimFaults *self);
JsonNode *linli_sim_faults_to_json (LinliSimFaults *self);

/* The faults that apply to one request, each consuming one of its count:
 * the sum of the latencies, and the first other fault (a copy; NULL when
 * none). */
void linli_sim_faults_match (LinliSimFaults *self,
                             const char *method,
                             const char *path,
                             guint *latency_ms,
                             LinliSimFault **action);

const char *linli_sim_fault_kind_to_string (LinliSimFaultKind kind);

G_END_DECLS
