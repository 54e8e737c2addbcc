#ifndef HOTLINE_CALSA_SHIM_H
#define HOTLINE_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
