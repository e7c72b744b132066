#pragma once
#include <fcgiapp.h>
#include <fcgios.h>
