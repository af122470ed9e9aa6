#include "autograd/grad_mode.h"

namespace lt {

namespace {
thread_local bool t_grad_enabled = true;
}

bool grad_mode_enabled() { return t_grad_enabled; }
void set_grad_mode(bool enabled) { t_grad_enabled = enabled; }

}  // namespace lt
