#include "TaskForm.h"
