# Warnings every PeerPort target gets; the tree builds clean with them.
function(peerport_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(PEERPORT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
